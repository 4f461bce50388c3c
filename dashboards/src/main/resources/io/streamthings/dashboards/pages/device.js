// One device: latest values, a chart per metric over a chosen range (live from the stream) with the predictive
// job's forecasts as a dashed line in their band and its anomalies as red marks when there are any, the device's
// availability over the last days, its alerts, and its operations (read again every few seconds).
import { api, query, stream } from '../api.js';
import { h, table, time, errorBox, fill } from '../dom.js';
import { loadAnomalies, loadForecasts, overlay } from '../forecasts.js';
import { alertTable } from './alerts.js';
import { operationTable } from './operations.js';

const DAY = 24 * 3600e3;
const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY };
/** How far ahead of now a chart shows forecasts: a quarter of its range. */
const AHEAD = 0.25;
/** Days of availability shown. */
const AVAILABILITY_DAYS = 7;

export async function render(view, { args, signal }) {
  // Loaded here, not at start: the other pages need no chart library.
  const { default: uPlot } = await import('/ui/vendor/uplot/uPlot.esm.js');
  if (signal.aborted) return;
  const id = args[0];
  const head = h('div', { id: 'device-head' });
  const picker = h('div', { class: 'ranges', role: 'group', 'aria-label': 'Range' });
  const metricsEl = h('div', { class: 'metrics', id: 'metrics' });
  const alertsEl = h('div', { id: 'device-alerts' });
  const availabilityEl = h('div', { id: 'device-availability' });
  const operationsEl = h('div', { id: 'device-operations' });
  view.append(head, h('section', { class: 'card' }, h('h2', {}, 'Telemetry'), picker, metricsEl),
    h('section', { class: 'card' }, h('h2', {}, `Availability (last ${AVAILABILITY_DAYS} days, UTC)`), availabilityEl),
    h('section', { class: 'card' }, h('h2', {}, 'Alerts'), alertsEl),
    h('section', { class: 'card' }, h('h2', {}, 'Operations'),
      h('p', {}, h('a', { href: `#/operations/send/device/${encodeURIComponent(id)}`, 'data-testid': 'device-send-operation' }, 'Send an operation')),
      operationsEl));

  let range = '1h';
  // metric -> {plot, cols: [xs, history, forecast, lower, upper, anomalies], until, seq, box}
  const charts = new Map();
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
  loadAvailability();
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
    const marks = h('span', { class: 'anomaly-note', 'data-testid': `anomalies-${name}`, hidden: true });
    const box = h('div', { class: 'chart', 'data-testid': `chart-${name}`, 'data-points': '0' });
    metricsEl.append(h('div', { class: 'metric' },
      h('div', { class: 'metric-head' }, h('strong', {}, name), latestEl, h('span', { class: 'muted' }, units[name] ?? ''), stamp, note, marks), box));
    const c = { box, cols: [[], [], [], [], [], []], until: 0, seq: 0 };
    c.plot = new uPlot({ ...size(box), legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => xRange(c) } },
      series: [{}, { label: name, stroke: '#2563eb', width: 1.5, spanGaps: true },
        { label: 'forecast', stroke: '#9333ea', width: 1.5, dash: [6, 4], spanGaps: true },
        { label: 'lower', stroke: '#d8b4fe', width: 1, spanGaps: true },
        { label: 'upper', stroke: '#d8b4fe', width: 1, spanGaps: true },
        // Marks only: no line between anomalies.
        { label: 'anomaly', stroke: '#dc2626', width: 0, paths: () => null,
          points: { show: true, size: 9, width: 2, stroke: '#dc2626', fill: '#fecaca' } }],
      // The forecast's band: between upper (4) and lower (3).
      bands: [{ series: [4, 3], fill: 'rgba(147, 51, 234, 0.12)' }] },
      c.cols, box);
    // The uPlot instance, for tests and the browser console (e.g. box.uplot.data[0].length).
    box.uplot = c.plot;
    c.setLatest = (reading) => {
      if (!reading) return;
      latestEl.textContent = formatValue(reading.value);
      stamp.textContent = time(reading.ts);
    };
    c.setData = (points, forecasts, anomalies) => {
      const o = overlay(points, forecasts, anomalies);
      c.cols = [o.xs, o.ys, o.fs, o.ls, o.us, o.as];
      c.until = forecasts.length ? forecasts[forecasts.length - 1].ts / 1000 : 0;
      note.hidden = !forecasts.length;
      note.textContent = forecasts.length ? `- - forecast (${[...new Set(forecasts.map((f) => f.model))].join(', ')}) with its band` : '';
      marks.hidden = !anomalies.length;
      marks.textContent = anomalies.length ? `● ${anomalies.length} ${anomalies.length === 1 ? 'anomaly' : 'anomalies'}` : '';
      marks.title = anomalies.map((a) => `${time(a.ts)}: ${formatValue(a.value)}, expected ${typeof a.expected === 'number' ? formatValue(a.expected) : '?'} (${a.kind ?? 'anomaly'})`).join('\n');
      redraw(c);
      box.dataset.forecasts = String(forecasts.length);
      box.dataset.anomalies = String(anomalies.length);
      box.dataset.range = range;
    };
    c.push = (ts, value) => {
      c.setLatest({ ts, value });
      const since = (Date.now() - RANGES[range]) / 1000;
      const xs = c.cols[0];
      let i = 0;
      while (i < xs.length && xs[i] < since) i++;
      // A live reading lands after every stored point but before forecasts still ahead of it.
      let at = xs.length;
      while (at > i && xs[at - 1] > ts / 1000) at--;
      c.cols = c.cols.map((col, n) => [...col.slice(i, at), n === 0 ? ts / 1000 : n === 1 ? value : null, ...col.slice(at)]);
      redraw(c);
    };
    charts.set(name, c);
    return c;
  }

  function redraw(c) {
    c.plot.setData(c.cols);
    c.box.dataset.points = String(c.cols[0].length);
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
      const anomalies = await loadAnomalies(id, name, now - span, now, signal)
        .catch((e) => { if (signal.aborted) throw e; return []; });
      const maxPoints = Math.max(1, width - forecasts.length - anomalies.length);
      const s = await api(`/analytics/telemetry${query({ deviceId: id, metric: name, from: now - span, to: now, maxPoints })}`, { signal });
      if (seq === c.seq) c.setData(s.points, forecasts, anomalies);
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

  /** The last days' availability, newest first: computed by the batch job an hour after each UTC day ends. */
  async function loadAvailability() {
    try {
      const a = await api(`/analytics/availability${query({ deviceId: id, from: Date.now() - AVAILABILITY_DAYS * DAY })}`, { signal });
      const days = [...(a.days ?? [])].reverse();
      fill(availabilityEl, table('availability-table', ['Day', 'Uptime', 'Outages', 'Longest outage'],
        days.map((d) => [new Date(d.day).toISOString().slice(0, 10), percent(d.uptimeRatio), String(d.outages), duration(d.longestOutageMs)]),
        'No availability computed yet (it is, an hour after each day ends).'));
    } catch (e) {
      if (!signal.aborted) fill(availabilityEl, errorBox(e));
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

function percent(ratio) {
  // Floored, so that a day with a minute of outage never reads 100.00 %; the epsilon undoes binary rounding.
  return `${(Math.floor(ratio * 10000 + 1e-9) / 100).toFixed(2)} %`;
}

function duration(ms) {
  if (!ms) return '—';
  const h = Math.floor(ms / 3600e3);
  const m = Math.floor((ms % 3600e3) / 60e3);
  const s = Math.floor((ms % 60e3) / 1000);
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

function formatValue(v) {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}
