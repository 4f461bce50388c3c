import { api, query } from '../api.js';
import { h, table, errorBox } from '../dom.js';

export async function render(view, { signal }) {
  view.append(h('h1', {}, 'Device types'));
  try {
    const page = await api(`/device-types${query({ limit: 200 })}`, { signal });
    view.append(h('section', { class: 'card' }, table('type-table', ['Name', 'Description', 'Metrics', 'Operations', 'Transports'],
      page.items.map((t) => [
        t.name, t.description ?? '',
        (t.metrics ?? []).map((m) => m.unit ? `${m.name} (${m.unit})` : m.name).join(', '),
        (t.features ?? []).map((f) => f.code).join(', '),
        (t.transports ?? []).join(', ')]), 'No device types yet.')));
  } catch (e) {
    if (!signal.aborted) view.append(errorBox(e));
  }
}
