// Alerts with acknowledge and clear; alertTable is shared with the device page.
import { api, query } from '../api.js';
import { h, table, time, errorBox, fill } from '../dom.js';

export function render(view, { signal }) {
  const status = h('select', { id: 'alert-status', 'aria-label': 'Status' },
    ['OPEN', 'ACKNOWLEDGED', 'CLEARED', ''].map((s) => h('option', { value: s }, s || 'all')));
  const list = h('div', { id: 'alert-list' });
  view.append(h('h1', {}, 'Alerts'), h('section', { class: 'card' }, h('label', {}, 'Status ', status), list));
  const load = async () => {
    try {
      const page = await api(`/alerts${query({ status: status.value, limit: 100 })}`, { signal });
      fill(list, alertTable(page.items, load), page.total > page.items.length ? h('p', { class: 'muted' }, `${page.items.length} of ${page.total}, newest first`) : null);
    } catch (e) {
      if (!signal.aborted) fill(list, errorBox(e));
    }
  };
  status.addEventListener('change', load);
  load();
}

/** A table of alerts, each with the buttons its status allows; onChange runs after an acknowledge or clear. */
export function alertTable(alerts, onChange, testid = 'alert-table') {
  const act = (alert, verb) => async (event) => {
    event.target.disabled = true;
    try {
      await api(`/alerts/${alert.id}/${verb}`, { method: 'POST' });
    } catch (e) {
      event.target.replaceWith(errorBox(e));
      return;
    }
    onChange();
  };
  return table(testid, ['Severity', 'Device', 'Rule', 'Message', 'Count', 'Last fired', 'Status', ''],
    alerts.map((a) => [
      h('span', { class: `sev ${a.severity}` }, a.severity),
      h('a', { href: `#/devices/${encodeURIComponent(a.deviceId)}` }, a.deviceId),
      a.rule, a.message ?? '', a.count, time(a.lastFiredAt), a.status,
      h('span', { class: 'actions' },
        a.status === 'OPEN' && h('button', { type: 'button', 'data-testid': `ack-${a.id}`, onclick: act(a, 'acknowledge') }, 'Acknowledge'),
        a.status !== 'CLEARED' && h('button', { type: 'button', 'data-testid': `clear-${a.id}`, onclick: act(a, 'clear') }, 'Clear')),
    ]), 'No alerts.');
}
