// Forecasts of the predictive job (GET /predictions) and how a chart lays them over history: the device page's
// overlay now, a predictions page later.
import { api, query } from './api.js';

/** The forecasts of a metric with their time in [fromMs, toMs], oldest first, at most maxPoints of them. */
export async function loadForecasts(deviceId, metric, fromMs, toMs, maxPoints, signal) {
  const answer = await api(`/predictions${query({ deviceId, metric, from: Math.round(fromMs), to: Math.round(toMs), maxPoints })}`, { signal });
  return answer.points ?? [];
}

/**
 * The anomalies the predictive job raised for a metric of a device (alerts of rule `anomaly` active in
 * [fromMs, toMs]): one mark per alert, at its latest firing, with the value that was read, oldest first.
 */
export async function loadAnomalies(deviceId, metric, fromMs, toMs, signal) {
  const page = await api(`/alerts${query({ deviceId, rule: 'anomaly', from: Math.round(fromMs), to: Math.round(toMs), limit: 200 })}`, { signal });
  return (page.items ?? [])
    .filter((a) => a.values?.metric === metric && typeof a.values?.actual === 'number' && a.lastTs >= fromMs && a.lastTs <= toMs)
    .map((a) => ({ ts: a.lastTs, value: a.values.actual, expected: a.values.expected, score: a.values.score, kind: a.values.kind }))
    .sort((a, b) => a.ts - b.ts);
}

/**
 * uPlot's aligned columns for history ([[ts, value], ...]), forecasts ([{ts, forecast, lower, upper, madeAt}, ...])
 * and anomaly marks ([{ts, value}, ...]), each oldest first: one x (seconds) per distinct time, null where a series has
 * no value there. Where several models forecast the same time, the latest made wins. Never more xs than history,
 * forecasts and marks hold together.
 */
export function overlay(history, forecasts, anomalies = []) {
  const byTs = new Map();
  for (const f of forecasts) {
    const seen = byTs.get(f.ts);
    if (!seen || f.madeAt >= seen.madeAt) byTs.set(f.ts, f);
  }
  const fts = [...byTs.keys()].sort((a, b) => a - b);
  const xs = [];
  const ys = [];
  const fs = [];
  const ls = [];
  const us = [];
  const as = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < history.length || j < fts.length || k < anomalies.length) {
    const ht = i < history.length ? history[i][0] : Infinity;
    const ft = j < fts.length ? fts[j] : Infinity;
    const at = k < anomalies.length ? anomalies[k].ts : Infinity;
    const t = Math.min(ht, ft, at);
    xs.push(t / 1000);
    ys.push(ht === t ? history[i++][1] : null);
    const f = ft === t ? byTs.get(fts[j++]) : null;
    fs.push(f ? f.forecast : null);
    ls.push(f ? f.lower ?? f.forecast : null);
    us.push(f ? f.upper ?? f.forecast : null);
    let mark = null;
    while (k < anomalies.length && anomalies[k].ts === t) mark = anomalies[k++].value;
    as.push(mark);
  }
  return { xs, ys, fs, ls, us, as };
}
