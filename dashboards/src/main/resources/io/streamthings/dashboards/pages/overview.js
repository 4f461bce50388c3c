// The fleet: devices by status, online devices and open alerts (totals of paged API calls), the tenant's ingest rate
// (refreshed every few seconds, for the tenant's admins), the devices with the most anomalies today (the predictive
// job's alerts), then the device table with server-side search (q=) and paging.
import { api, query } from '../api.js';
import { h, table, time, errorBox, fill } from '../dom.js';

const STATUSES = ['ACTIVE', 'INACTIVE', 'BLOCKED'];
const PAGE = 20;
const RATE_EVERY_MS = 5000;
/** Devices listed under "Most anomalies today". */
const TOP_ANOMALIES = 5;

export function render(view, { signal }) {
  const counts = h('section', { class: 'tiles', id: 'counts', 'data-testid': 'counts' });
  const search = h('input', { id: 'device-search', type: 'search', placeholder: 'Search id or name', 'aria-label': 'Search devices' });
  const list = h('div', { id: 'device-list' });
  const anomaliesEl = h('div', { id: 'top-anomalies' });
  const pager = h('div', { class: 'pager' });
  view.append(h('h1', {}, 'Fleet'), counts,
    h('section', { class: 'card' }, h('h2', {}, 'Most anomalies today'), anomaliesEl), h('section', { class: 'card' }, h('h2', {}, 'Devices'), search, list, pager));

  const rate = h('span', { class: 'value', 'data-testid': 'count-ingest-rate' }, '…');
  const rateTile = h('div', { class: 'tile', title: 'records per second over the last 10 s' },
    rate, h('span', { class: 'label' }, 'Ingest /s'));

  let offset = 0;
  let debounce;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { offset = 0; loadDevices(); }, 250);
  });

  async function loadCounts() {
    try {
      const [all, online, openAlerts, ...byStatus] = await Promise.all([
        api(`/devices${query({ limit: 1 })}`, { signal }),
        api(`/devices${query({ online: 'true', limit: 1 })}`, { signal }),
        api(`/alerts${query({ status: 'OPEN', limit: 1 })}`, { signal }),
        ...STATUSES.map((status) => api(`/devices${query({ status, limit: 1 })}`, { signal })),
      ]);
      fill(counts,
        tile('total', 'Devices', all.total),
        tile('online', 'Online', online.total),
        ...STATUSES.map((s, i) => tile(s.toLowerCase(), s[0] + s.slice(1).toLowerCase(), byStatus[i].total)),
        tile('open-alerts', 'Open alerts', openAlerts.total, '#/alerts'),
        rateTile);
    } catch (e) {
      if (!signal.aborted) fill(counts, errorBox(e));
    }
  }

  async function loadDevices() {
    try {
      const page = await api(`/devices${query({ q: search.value.trim(), offset, limit: PAGE })}`, { signal });
      fill(list, table('device-table', ['Device', 'Name', 'Type', 'Status', 'Online', 'Last seen'],
        page.items.map((d) => [
          h('a', { href: `#/devices/${encodeURIComponent(d.id)}`, 'data-testid': `device-link-${d.id}` }, d.id),
          d.name, d.type, d.status,
          h('span', { class: d.online ? 'dot on' : 'dot' }, d.online ? 'online' : 'offline'),
          time(d.lastSeen)]), 'No devices match.'));
      const last = Math.min(page.offset + page.items.length, page.total);
      fill(pager,
        h('button', { type: 'button', id: 'prev-page', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); loadDevices(); } }, 'Previous'),
        h('span', { 'data-testid': 'page-info' }, page.total ? `${page.offset + 1}–${last} of ${page.total}` : '0 of 0'),
        h('button', { type: 'button', id: 'next-page', disabled: last >= page.total, onclick: () => { offset += PAGE; loadDevices(); } }, 'Next'));
    } catch (e) {
      if (!signal.aborted) fill(list, errorBox(e));
    }
  }

  /**
   * The predictive job's anomaly alerts that fired since local midnight, per device: an alert folds the repeats of
   * an ongoing anomaly, so a device counts the firings (count) of each of its alerts last fired today.
   */
  async function loadAnomalies() {
    try {
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      const page = await api(`/alerts${query({ rule: 'anomaly', from: midnight.getTime(), limit: 1000 })}`, { signal });
      const byDevice = new Map();
      for (const a of page.items ?? []) {
        if (!a.deviceId || a.lastTs < midnight.getTime()) continue;
        const d = byDevice.get(a.deviceId) ?? { deviceId: a.deviceId, firings: 0, alerts: 0, last: 0 };
        d.firings += a.count ?? 1;
        d.alerts += 1;
        d.last = Math.max(d.last, a.lastTs);
        byDevice.set(a.deviceId, d);
      }
      const top = [...byDevice.values()].sort((x, y) => y.firings - x.firings || y.last - x.last).slice(0, TOP_ANOMALIES);
      fill(anomaliesEl, table('top-anomalies-table', ['Device', 'Anomalies', 'Alerts', 'Last'],
        top.map((d) => [
          h('a', { href: `#/devices/${encodeURIComponent(d.deviceId)}`, 'data-testid': `anomaly-device-${d.deviceId}` }, d.deviceId),
          h('span', { 'data-testid': `anomaly-count-${d.deviceId}` }, String(d.firings)), String(d.alerts), time(d.last)]),
        'No anomalies today.'));
    } catch (e) {
      if (!signal.aborted) fill(anomaliesEl, errorBox(e));
    }
  }

  async function loadRate() {
    try {
      const r = await api('/analytics/ingest-rate', { signal });
      rate.textContent = r.recordsPerSecond < 10 ? r.recordsPerSecond.toFixed(1)
        : Math.round(r.recordsPerSecond).toLocaleString('en');
    } catch (e) {
      // 403: only the tenant's admins see the whole tenant's rate
      if (!signal.aborted) rate.textContent = '–';
    }
  }

  loadCounts();
  loadAnomalies();
  loadDevices();
  loadRate();
  const timer = setInterval(loadRate, RATE_EVERY_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function tile(id, label, value, href) {
  const body = [h('span', { class: 'value', 'data-testid': `count-${id}` }, value), h('span', { class: 'label' }, label)];
  return href ? h('a', { class: 'tile', href }, body) : h('div', { class: 'tile' }, body);
}
