// Forecasts of the predictive job (GET /predictions) and how a chart lays them over history: the device page's
// overlay now, a predictions page later.
import { api, query } from './api.js';

/** The forecasts of a metric with their time in [fromMs, toMs], oldest first, at most maxPoints of them. */
export async function loadForecasts(deviceId, metric, fromMs, toMs, maxPoints, signal) {
  const answer = await api(`/predictions${query({ deviceId, metric, from: Math.round(fromMs), to: Math.round(toMs), maxPoints })}`, { signal });
  return answer.points ?? [];
}

/**
 * uPlot's aligned columns for history ([[ts, value], ...]) and forecasts ([{ts, forecast, madeAt}, ...]), both oldest
 * first: one x (seconds) per distinct time, null where a series has no value there. Where several models forecast
 * the same time, the latest made wins. Never more xs than history and forecasts hold together.
 */
export function overlay(history, forecasts) {
  const byTs = new Map();
  for (const f of forecasts) {
    const seen = byTs.get(f.ts);
    if (!seen || f.madeAt >= seen.madeAt) byTs.set(f.ts, f);
  }
  const fts = [...byTs.keys()].sort((a, b) => a - b);
  const xs = [];
  const ys = [];
  const fs = [];
  let i = 0;
  let j = 0;
  while (i < history.length || j < fts.length) {
    const ht = i < history.length ? history[i][0] : Infinity;
    const ft = j < fts.length ? fts[j] : Infinity;
    const t = Math.min(ht, ft);
    xs.push(t / 1000);
    ys.push(ht === t ? history[i++][1] : null);
    fs.push(ft === t ? byTs.get(fts[j++]).forecast : null);
  }
  return { xs, ys, fs };
}
