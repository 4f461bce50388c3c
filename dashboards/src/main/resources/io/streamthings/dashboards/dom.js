// A few DOM helpers; the pages build their markup with h() so no text is ever parsed as HTML.

/** An element: h('a', {href: '#/x', onclick: f}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** A table that becomes one card per row on a narrow screen (see app.css); cells are [label, content] pairs. */
export function table(testid, headers, rows, empty = 'Nothing here yet.') {
  if (!rows.length) return h('p', { class: 'empty', 'data-testid': `${testid}-empty` }, empty);
  return h('table', { class: 'grid', 'data-testid': testid },
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => h('td', { 'data-label': headers[i] }, c))))));
}

export function time(value) {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, e.message || String(e));
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}
