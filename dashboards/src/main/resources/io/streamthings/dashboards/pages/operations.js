// Operations: send one to a device or a group (a rollout, with a batch size, a rate and an abort threshold), follow a
// rollout's counts per state live, cancel what is not delivered yet; one operation with its history.
//   #/operations                      the form and the rollouts
//   #/operations/send/<device|group>/<id>   the form with its target filled in (the device page links here)
//   #/operations/<ro-…|op-…>          one rollout or one operation
import { api, query } from '../api.js';
import { h, table, time, errorBox, fill } from '../dom.js';

/** The states in lifecycle order (API.md), for the counts and the filters. */
export const STATES = ['PENDING', 'SENT', 'DELIVERED', 'IN_PROGRESS', 'COMPLETED', 'ERROR', 'REJECTED', 'TIMED_OUT',
  'EXPIRED', 'CANCELLED', 'SUPERSEDED'];
const FINAL = new Set(['COMPLETED', 'ERROR', 'REJECTED', 'TIMED_OUT', 'EXPIRED', 'CANCELLED', 'SUPERSEDED']);
/** How often a rollout or an operation that is not finished is read again, ms. */
const REFRESH_MS = 1000;

export function render(view, { args, signal }) {
  if (args[0] && args[0] !== 'send') return one(view, args[0], signal);
  view.append(h('h1', {}, 'Operations'));
  view.append(sendForm(signal, args[0] === 'send' ? { kind: args[1], id: args[2] } : null));
  const list = h('div', { id: 'rollout-list' });
  view.append(h('section', { class: 'card' }, h('h2', {}, 'Rollouts'), list));
  (async () => {
    try {
      const page = await api(`/operations${query({ limit: 50 })}`, { signal });
      fill(list, table('rollout-table', ['Rollout', 'Operation', 'Target', 'Status', 'Progress', 'Failed', 'Created'],
        page.items.map((r) => [
          h('a', { href: `#/operations/${encodeURIComponent(r.id)}`, 'data-testid': `rollout-link-${r.id}` }, r.id),
          `${r.kind} ${r.code}`, `${r.targetType ?? ''} ${r.targetId ?? ''}`, r.status,
          `${r.finished} of ${r.total}`, `${Math.round(r.failedPercent ?? 0)}%`, time(r.createdAt)]), 'No rollouts yet.'));
    } catch (e) {
      if (!signal.aborted) fill(list, errorBox(e));
    }
  })();
}

/** The form that sends an operation; target prefilled as {kind: 'device'|'group', id}. */
function sendForm(signal, target) {
  const targetKind = h('select', { id: 'op-target-kind', 'aria-label': 'Target' },
    h('option', { value: 'group' }, 'group'), h('option', { value: 'device' }, 'device'));
  const targetId = h('input', { id: 'op-target', 'aria-label': 'Device or group id', required: true, list: 'op-targets' });
  const targets = h('datalist', { id: 'op-targets' });
  const kind = h('select', { id: 'op-kind', 'aria-label': 'Kind' },
    ['COMMAND', 'CONFIG', 'POLICY', 'EDGE_RULE'].map((k) => h('option', { value: k }, k)));
  const code = h('input', { id: 'op-code', 'aria-label': 'Feature code', required: true, placeholder: 'reboot' });
  const params = h('textarea', { id: 'op-params', rows: 3, spellcheck: 'false', 'aria-label': 'Params (JSON)' });
  params.value = '{}';
  const batch = h('input', { id: 'op-batch', type: 'number', min: 1, 'aria-label': 'Batch size' });
  const rate = h('input', { id: 'op-rate', type: 'number', min: 1, 'aria-label': 'Rate per minute' });
  const abort = h('input', { id: 'op-abort', type: 'number', min: 0, max: 100, step: 'any', 'aria-label': 'Abort threshold %' });
  const result = h('div', { id: 'op-result', 'data-testid': 'op-result' });
  if (target?.id) {
    targetKind.value = target.kind === 'device' ? 'device' : 'group';
    targetId.value = target.id;
  }
  const rolloutFields = h('div', { class: 'rollout-fields' },
    h('label', {}, 'Batch size ', batch), h('label', {}, 'Rate per minute ', rate),
    h('label', {}, 'Abort when failed above (%) ', abort));
  const showRollout = () => { rolloutFields.hidden = targetKind.value !== 'group'; };
  targetKind.addEventListener('change', () => { showRollout(); suggest(); });
  showRollout();

  // The ids to choose from: the groups, or the first devices of a search.
  async function suggest() {
    try {
      const page = targetKind.value === 'group'
        ? await api(`/groups${query({ limit: 200 })}`, { signal })
        : await api(`/devices${query({ q: targetId.value, limit: 20 })}`, { signal });
      fill(targets, page.items.map((x) => h('option', { value: x.id }, x.name ?? x.id)));
    } catch (e) {
      // suggestions only
    }
  }
  suggest();

  const send = async (event) => {
    event.preventDefault();
    let p;
    try {
      p = params.value.trim() ? JSON.parse(params.value) : {};
    } catch (e) {
      fill(result, errorBox(new Error(`Params are not JSON: ${e.message}`)));
      return;
    }
    const body = { kind: kind.value, code: code.value.trim(), params: p };
    const num = (el) => (el.value === '' ? undefined : Number(el.value));
    const path = `/${targetKind.value === 'group' ? 'groups' : 'devices'}/${encodeURIComponent(targetId.value.trim())}/operations`;
    if (targetKind.value === 'group') {
      const rollout = { batchSize: num(batch), ratePerMinute: num(rate), abortThresholdPercent: num(abort) };
      if (Object.values(rollout).some((v) => v !== undefined)) body.rollout = rollout;
    }
    fill(result, h('p', { class: 'muted' }, 'Sending…'));
    try {
      const created = await api(path, { method: 'POST', json: body, signal });
      location.hash = `#/operations/${encodeURIComponent(created.id)}`;
    } catch (e) {
      if (!signal.aborted) fill(result, errorBox(e));
    }
  };
  return h('form', { class: 'card', id: 'op-form', onsubmit: send },
    h('h2', {}, 'Send an operation'),
    h('div', { class: 'form-row' }, h('label', {}, 'Target ', targetKind), h('label', {}, 'Id ', targetId), targets),
    h('div', { class: 'form-row' }, h('label', {}, 'Kind ', kind), h('label', {}, 'Code ', code)),
    h('label', { for: 'op-params' }, 'Params (JSON)'), params,
    rolloutFields,
    h('button', { type: 'submit', id: 'op-send', 'data-testid': 'op-send' }, 'Send'), result);
}

/** One rollout (ro-…) or one operation (op-…), read again every second until it is finished. */
function one(view, id, signal) {
  const head = h('div', { id: 'op-head' });
  const body = h('div', { id: 'op-body' });
  view.append(head, body);
  let timer;
  signal.addEventListener('abort', () => clearTimeout(timer));
  const load = async () => {
    let x;
    try {
      x = await api(`/operations/${encodeURIComponent(id)}`, { signal });
    } catch (e) {
      if (!signal.aborted) fill(head, errorBox(e));
      return;
    }
    const isRollout = x.counts !== undefined;
    const done = isRollout ? x.status !== 'RUNNING' : FINAL.has(x.status);
    if (isRollout) await showRollout(head, body, x, load, signal);
    else showOperation(head, body, x, load);
    if (!done && !signal.aborted) timer = setTimeout(load, REFRESH_MS);
  };
  load();
}

async function showRollout(head, body, r, reload, signal) {
  const cancel = h('button', { type: 'button', id: 'rollout-cancel', 'data-testid': 'rollout-cancel', disabled: r.status !== 'RUNNING',
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        await api(`/operations/${encodeURIComponent(r.id)}/cancel`, { method: 'POST' });
      } catch (e) {
        event.target.replaceWith(errorBox(e));
        return;
      }
      reload();
    } }, 'Cancel the rest');
  fill(head, h('h1', { 'data-testid': 'rollout-title' }, `Rollout ${r.id}`),
    h('p', { class: 'muted' }, `${r.kind} ${r.code} to ${r.targetType ?? ''} ${r.targetId ?? ''} · created ${time(r.createdAt)}`
      + (r.createdBy ? ` by ${r.createdBy}` : '')),
    h('p', {}, 'Status ', h('strong', { 'data-testid': 'rollout-status' }, r.status),
      ` · ${r.finished} of ${r.total} finished · `, h('span', { 'data-testid': 'rollout-failed' }, `${Math.round(r.failedPercent ?? 0)}%`),
      ' of them failed', r.reason ? ` · ${r.reason}` : ''),
    h('progress', { max: 1, value: r.progress ?? 0, 'data-testid': 'rollout-progress' }),
    h('div', { class: 'tiles' }, STATES.filter((s) => (r.counts?.[s] ?? 0) > 0 || ['PENDING', 'DELIVERED', 'COMPLETED', 'ERROR'].includes(s))
      .map((s) => h('div', { class: `tile state-${s}` }, h('span', { class: 'value', 'data-testid': `count-${s}` }, r.counts?.[s] ?? 0),
        h('span', { class: 'label' }, s)))),
    h('p', { class: 'actions' }, cancel));
  try {
    const page = await api(`/operations/${encodeURIComponent(r.id)}/operations${query({ limit: 50 })}`, { signal });
    fill(body, h('section', { class: 'card' }, h('h2', {}, 'Devices'), operationTable(page.items, 'rollout-operations', true),
      page.total > page.items.length ? h('p', { class: 'muted' }, `${page.items.length} of ${page.total}`) : null));
  } catch (e) {
    if (!signal.aborted) fill(body, errorBox(e));
  }
}

function showOperation(head, body, op) {
  fill(head, h('h1', { 'data-testid': 'operation-title' }, `Operation ${op.id}`),
    h('p', { class: 'muted' }, `${op.kind} ${op.code} to `, h('a', { href: `#/devices/${encodeURIComponent(op.deviceId)}` }, op.deviceId),
      op.rolloutId ? [' in ', h('a', { href: `#/operations/${encodeURIComponent(op.rolloutId)}` }, op.rolloutId)] : '',
      ` · created ${time(op.createdAt)}`),
    h('p', {}, 'Status ', h('strong', { 'data-testid': 'operation-status' }, op.status)),
    h('pre', { class: 'json', 'data-testid': 'operation-params' }, `params ${JSON.stringify(op.params ?? {})}`),
    op.response ? h('pre', { class: 'json', 'data-testid': 'operation-response' }, `response ${JSON.stringify(op.response)}`) : null);
  fill(body, h('section', { class: 'card' }, h('h2', {}, 'History'),
    table('operation-history', ['State', 'At', 'Source', 'Response'],
      (op.history ?? []).map((c) => [c.status, time(c.at), c.source ?? '', c.response ? JSON.stringify(c.response) : '']), 'No changes yet.')));
}

/** A table of operations; withDevice adds the device column (a rollout's list). Shared with the device page. */
export function operationTable(ops, testid, withDevice = false) {
  const headers = ['Operation', ...(withDevice ? ['Device'] : []), 'Kind', 'Code', 'Status', 'Updated', 'Response'];
  return table(testid, headers, ops.map((o) => [
    h('a', { href: `#/operations/${encodeURIComponent(o.id)}`, 'data-testid': `operation-link-${o.id}` }, o.id),
    ...(withDevice ? [h('a', { href: `#/devices/${encodeURIComponent(o.deviceId)}` }, o.deviceId)] : []),
    o.kind, o.code, h('span', { class: `state state-${o.status}`, 'data-testid': `operation-state-${o.id}` }, o.status),
    time(o.updatedAt ?? o.createdAt), o.response ? JSON.stringify(o.response) : '']), 'No operations.');
}
