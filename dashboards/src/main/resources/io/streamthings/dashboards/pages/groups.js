import { api, query } from '../api.js';
import { h, table, errorBox } from '../dom.js';

export async function render(view, { signal }) {
  view.append(h('h1', {}, 'Groups'));
  try {
    const page = await api(`/groups${query({ limit: 200 })}`, { signal });
    view.append(h('section', { class: 'card' }, table('group-table', ['Name', 'Id', 'Devices', 'Shared with', 'Description'],
      page.items.map((g) => [g.name, g.id, g.deviceCount, (g.roles ?? []).join(', '), g.description ?? '']), 'No groups yet.')));
  } catch (e) {
    if (!signal.aborted) view.append(errorBox(e));
  }
}
