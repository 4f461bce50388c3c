// One device: latest values, a chart per metric over a chosen range (live from the stream) with the predictive
// job's forecasts as a dashed line when there are any, its alerts, and its operations (read again every few seconds).
import { api, query, stream } from '../api.js';
import { h, time, errorBox, fill } from '../dom.js';
import { loadForecasts, overlay } from '../forecasts.js';
import { alertTable } from './alerts.js';
import { operationTable } from './operations.js';

const DAY = 24 * 3600e3;
const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY };
/** How far ahead of now a chart shows forecasts: a quarter of its range. */
const AHEAD = 0.25;

export async function render(view, { args, signal }) {
  // Loaded here, not at start: the other pages need no chart library.
  const { default: uPlot } = await import('/ui/vendor/uplot/uPlot.esm.js');
  if (signal.aborted) return;
  const id = args[0];
  const head = h('div', { id: 'device-head' });
  const picker = h('div', { class: 'ranges', role: 'group', 'aria-label': 'Range' });
  const metricsEl = h('div', { class: 'metrics', id: 'metrics' });
  const alertsEl = h('div', { id: 'device-alerts' });
  const operationsEl = h('div', { id: 'device-operations' });
  view.append(head, h('section', { class: 'card' }, h('h2', {}, 'Telemetry'), picker, metricsEl),
    h('section', { class: 'card' }, h('h2', {}, 'Alerts'), alertsEl),
    h('section', { class: 'card' }, h('h2', {}, 'Operations'),
      h('p', {}, h('a', { href: `#/operations/send/device/${encodeURIComponent(id)}`, 'data-testid': 'device-send-operation' }, 'Send an operation')),
      operationsEl));

  let range = '1h';
  const charts = new Map(); // metric -> {plot, xs, ys, fs (forecasts), until, seq, box}
  for (const r of Object.keys(RANGES)) {
    picker.append(h('button', { type: 'button', 'data-testid': `range-${r}`, 'aria-pressed': String(r === range),
      onclick: () => { range = r; for (const b of picker.children) b.setAttribute('aria-pressed', String(b.dataset.testid === `range-${r}`)); loadSeries(); } }, r));
  }

  let device;
  let units = {};
  try {
    device = await api(`/devices/${encodeURIComponent(id)}`, { signal });
    const type = await api(`/device-types/${encodeURIComponent(device.type)}`, { signal }).catch(() => null);
    for (const m of type?.metrics ?? []) units[m.name] = m.unit ?? '';
    const latest = await api(`/analytics/latest${query({ deviceId: id })}`, { signal }).catch(() => ({ metrics: {} }));
    fill(head, h('h1', { 'data-testid': 'device-title' }, device.name || device.id),
      h('p', { class: 'muted' }, `${device.id} · ${device.type} · ${device.status} · `,
        h('span', { class: device.online ? 'dot on' : 'dot' }, device.online ? 'online' : 'offline'),
        ` · last seen ${time(device.lastSeen)}`));
    const names = new Set([...Object.keys(units), ...Object.keys(latest.metrics ?? {})]);
    for (const name of [...names].sort()) chart(name).setLatest(latest.metrics?.[name]);
    if (!names.size) metricsEl.append(h('p', { class: 'empty', id: 'no-metrics' }, 'No telemetry yet.'));
  } catch (e) {
    if (!signal.aborted) fill(head, errorBox(e));
    return;
  }
  loadSeries();
  loadAlerts();
  loadOperations();
  // Operations change state without an event on the stream: read them again while the page is open.
  const operationsTimer = setInterval(loadOperations, 3000);
  signal.addEventListener('abort', () => clearInterval(operationsTimer));

  let resizeTimer;
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { for (const c of charts.values()) c.plot.setSize(size(c.box)); }, 150);
  };
  window.addEventListener('resize', onResize);
  signal.addEventListener('abort', () => {
    window.removeEventListener('resize', onResize);
    for (const c of charts.values()) c.plot.destroy();
  });

  stream(`/stream${query({ deviceId: id, topics: 'telemetry,alerts' })}`, (event, data) => {
    if (event === 'alerts') {
      // The event may overtake the alert's row in the database: look again shortly after.
      loadAlerts();
      setTimeout(loadAlerts, 1500);
      return;
    }
    if (event !== 'telemetry') return;
    const record = JSON.parse(data);
    for (const [name, value] of Object.entries(record.metrics ?? {})) {
      if (typeof value === 'number') chart(name).push(record.ts ?? record.receivedAt, value);
    }
  }, signal);

  /** The x axis always shows the chosen range up to now (or the last forecast shown), however few points there are. */
  function xRange(c) {
    const now = Date.now() / 1000;
    return [now - RANGES[range] / 1000, Math.max(now, c.until)];
  }

  /** The chart of a metric, made on first use (a metric the type does not declare may arrive live). */
  function chart(name) {
    if (charts.has(name)) return charts.get(name);
    document.getElementById('no-metrics')?.remove();
    const latestEl = h('span', { class: 'latest', 'data-testid': `latest-${name}` }, '—');
    const stamp = h('span', { class: 'muted', 'data-testid': `latest-ts-${name}` });
    const note = h('span', { class: 'forecast-note', 'data-testid': `forecast-${name}`, hidden: true });
    const box = h('div', { class: 'chart', 'data-testid': `chart-${name}`, 'data-points': '0' });
    metricsEl.append(h('div', { class: 'metric' },
      h('div', { class: 'metric-head' }, h('strong', {}, name), latestEl, h('span', { class: 'muted' }, units[name] ?? ''), stamp, note), box));
    const c = { box, xs: [], ys: [], fs: [], until: 0, seq: 0 };
    c.plot = new uPlot({ ...size(box), legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => xRange(c) } },
      series: [{}, { label: name, stroke: '#2563eb', width: 1.5, spanGaps: true },
        { label: 'forecast', stroke: '#9333ea', width: 1.5, dash: [6, 4], spanGaps: true }] },
      [c.xs, c.ys, c.fs], box);
    // The uPlot instance, for tests and the browser console (e.g. box.uplot.data[0].length).
    box.uplot = c.plot;
    c.setLatest = (reading) => {
      if (!reading) return;
      latestEl.textContent = formatValue(reading.value);
      stamp.textContent = time(reading.ts);
    };
    c.setData = (points, forecasts) => {
      ({ xs: c.xs, ys: c.ys, fs: c.fs } = overlay(points, forecasts));
      c.until = forecasts.length ? forecasts[forecasts.length - 1].ts / 1000 : 0;
      note.hidden = !forecasts.length;
      note.textContent = forecasts.length ? `- - forecast (${[...new Set(forecasts.map((f) => f.model))].join(', ')})` : '';
      redraw(c);
      box.dataset.forecasts = String(forecasts.length);
      box.dataset.range = range;
    };
    c.push = (ts, value) => {
      c.setLatest({ ts, value });
      const since = (Date.now() - RANGES[range]) / 1000;
      let i = 0;
      while (i < c.xs.length && c.xs[i] < since) i++;
      // A live reading lands after every stored point but before forecasts still ahead of it.
      let at = c.xs.length;
      while (at > i && c.xs[at - 1] > ts / 1000) at--;
      c.xs = [...c.xs.slice(i, at), ts / 1000, ...c.xs.slice(at)];
      c.ys = [...c.ys.slice(i, at), value, ...c.ys.slice(at)];
      c.fs = [...c.fs.slice(i, at), null, ...c.fs.slice(at)];
      redraw(c);
    };
    charts.set(name, c);
    return c;
  }

  function redraw(c) {
    c.plot.setData([c.xs, c.ys, c.fs]);
    c.box.dataset.points = String(c.xs.length);
  }

  function loadSeries() {
    for (const [name, c] of charts) loadChart(name, c);
  }

  /**
   * History and forecasts of one chart, never more points together than the chart has pixels across: the forecasts
   * (at most a fifth of the width) first, history gets the rest, downsampled by the server.
   */
  async function loadChart(name, c) {
    const seq = ++c.seq; // a later range choice wins over an answer still on its way
    const width = Math.max(2, Math.floor(c.plot.width || c.box.clientWidth || 300));
    const now = Date.now();
    const span = RANGES[range];
    try {
      const forecasts = await loadForecasts(id, name, now - span, now + span * AHEAD, Math.max(1, Math.floor(width / 5)), signal)
        .catch((e) => { if (signal.aborted) throw e; return []; }); // no forecasts is no reason to show no history
      const maxPoints = Math.max(1, width - forecasts.length);
      const s = await api(`/analytics/telemetry${query({ deviceId: id, metric: name, from: now - span, to: now, maxPoints })}`, { signal });
      if (seq === c.seq) c.setData(s.points, forecasts);
    } catch (e) {
      if (!signal.aborted) c.box.after(errorBox(e));
    }
  }

  async function loadOperations() {
    try {
      const page = await api(`/devices/${encodeURIComponent(id)}/operations${query({ limit: 20 })}`, { signal });
      fill(operationsEl, operationTable(page.items ?? page, 'device-operation-table'));
    } catch (e) {
      if (!signal.aborted) fill(operationsEl, errorBox(e));
    }
  }

  async function loadAlerts() {
    try {
      const page = await api(`/alerts${query({ deviceId: id, limit: 20 })}`, { signal });
      fill(alertsEl, alertTable(page.items, loadAlerts, 'device-alert-table'));
    } catch (e) {
      if (!signal.aborted) fill(alertsEl, errorBox(e));
    }
  }
}

function size(box) {
  return { width: Math.max(200, box.clientWidth), height: 180 };
}

function formatValue(v) {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}
