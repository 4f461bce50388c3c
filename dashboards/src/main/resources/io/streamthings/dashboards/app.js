// The dashboards' shell: hash routes (#/page/arg), one module per page. A page exports
// render(view, {args, signal}); the signal aborts when the user leaves, ending its fetches and live streams.
// To add a page (predictions, edge rules): a module in pages/, a line in ROUTES, a link in index.html.
import { token, signOut } from './api.js';
import * as signin from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as device from './pages/device.js';
import * as alerts from './pages/alerts.js';
import * as types from './pages/types.js';
import * as groups from './pages/groups.js';
import * as rules from './pages/rules.js';
import * as operations from './pages/operations.js';

const ROUTES = { signin, overview, devices: device, alerts, types, groups, rules, operations };

let current = new AbortController();

function route() {
  current.abort();
  current = new AbortController();
  const [name, ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const signedIn = Boolean(token());
  if (!signedIn && name !== 'signin') {
    location.hash = '#/signin';
    return;
  }
  const page = ROUTES[name] ?? (signedIn ? null : signin);
  if (!page) {
    location.hash = '#/overview';
    return;
  }
  document.getElementById('top').hidden = page === signin;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.route === name || (name === 'devices' && a.dataset.route === 'overview'));
  }
  const view = document.getElementById('view');
  view.replaceChildren();
  view.dataset.page = name;
  page.render(view, { args, signal: current.signal });
}

document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
route();
