// Deployed rules, and a dry run of a rule app on sample events (POST /rules/validate): nothing is deployed.
import { api, query } from '../api.js';
import { h, table, time, errorBox, fill } from '../dom.js';

const EXAMPLE_APP = `@App:name('hot-device')
define stream TelemetryStream (deviceId string, ts long, temperature double);
from TelemetryStream[temperature > 90.0]
select deviceId, ts, temperature, 'critical' as severity, 'too hot' as message
insert into AlertStream;`;
const EXAMPLE_EVENTS = `[
  {"deviceId": "boiler-1", "metrics": {"temperature": 71.5}},
  {"deviceId": "boiler-1", "metrics": {"temperature": 95.0}}
]`;

export function render(view, { signal }) {
  const list = h('div', { id: 'rule-list' });
  const app = h('textarea', { id: 'rule-app', rows: 8, spellcheck: 'false', 'aria-label': 'Rule app (Siddhi)' });
  const events = h('textarea', { id: 'rule-events', rows: 5, spellcheck: 'false', 'aria-label': 'Sample events (JSON array)' });
  const result = h('div', { id: 'dry-run-result', 'data-testid': 'dry-run-result' });
  app.value = EXAMPLE_APP;
  events.value = EXAMPLE_EVENTS;
  const dryRun = async () => {
    fill(result, h('p', { class: 'muted' }, 'Running…'));
    try {
      const body = { app: app.value, events: JSON.parse(events.value || '[]') };
      const v = await api('/rules/validate', { method: 'POST', json: body, signal });
      const run = v.dryRun ?? { eventsIn: 0, eventsSkipped: 0, alerts: [], errors: [] };
      fill(result,
        h('p', { 'data-testid': 'dry-run-summary' }, `${v.name ?? 'app'} is valid: ${run.eventsIn} events in, ${run.eventsSkipped} skipped, ${run.alerts.length} alerts.`),
        table('dry-run-alerts', ['Device', 'Severity', 'Message', 'ts', 'Values'],
          run.alerts.map((a) => [a.deviceId, a.severity ?? '', a.message ?? '', a.ts, JSON.stringify(a.values)]), 'The rule would emit nothing.'),
        run.errors.map((e) => errorBox(new Error(e))));
    } catch (e) {
      if (!signal.aborted) fill(result, errorBox(e));
    }
  };
  view.append(h('h1', {}, 'Rules'),
    h('section', { class: 'card' }, h('h2', {}, 'Deployed'), list),
    h('section', { class: 'card' }, h('h2', {}, 'Try a rule'),
      h('label', { for: 'rule-app' }, 'Rule app (Siddhi)'), app,
      h('label', { for: 'rule-events' }, 'Sample events'), events,
      h('button', { type: 'button', id: 'dry-run', onclick: dryRun }, 'Dry run'), result));

  (async () => {
    try {
      const page = await api(`/rules${query({ limit: 200 })}`, { signal });
      fill(list, table('rule-table', ['Name', 'Version', 'State', 'In', 'Out', 'Errors', 'Last fired', ''],
        page.items.map((r) => [r.name, r.version, r.stats?.state ?? '—', r.stats?.eventsIn ?? 0, r.stats?.eventsOut ?? 0,
          r.stats?.errors ?? 0, time(r.stats?.lastFiredAt),
          h('button', { type: 'button', onclick: () => { app.value = r.app; app.focus(); } }, 'Edit copy')]), 'No rules deployed.'));
    } catch (e) {
      if (!signal.aborted) fill(list, errorBox(e));
    }
  })();
}
