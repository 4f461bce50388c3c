// The REST API of API.md, with the signed-in user's token. The token lives in sessionStorage: one tab, gone on close.
const KEY = 'streamthings.token';

export const token = () => sessionStorage.getItem(KEY);

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function signIn(username, password) {
  const r = await fetch('/api/v1/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password }),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.message || `sign-in failed (HTTP ${r.status})`);
  sessionStorage.setItem(KEY, body.access_token);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  location.hash = '#/signin';
}

/** A query string of the params that have a value. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Calls /api/v1{path}; answers the JSON body, throws ApiError with the server's message; 401 goes to sign-in. */
export async function api(path, { method = 'GET', json, signal } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const r = await fetch(`/api/v1${path}`, { method, headers, body, signal });
  if (r.status === 401) {
    signOut();
    throw new ApiError(401, 'signed out');
  }
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data?.message || `HTTP ${r.status}`);
  return data;
}

/**
 * Reads server-sent events from /api/v1{path} until the signal aborts, reconnecting after a drop. fetch() and not
 * EventSource, which cannot send the Authorization header (and a token in the URL would end up in access logs).
 */
export async function stream(path, onEvent, signal) {
  while (!signal.aborted) {
    try {
      const r = await fetch(`/api/v1${path}`, {
        headers: { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' }, signal,
      });
      if (r.status === 401) return signOut();
      if (!r.ok) throw new ApiError(r.status, `stream: HTTP ${r.status}`);
      await readFrames(r.body, onEvent);
    } catch (e) {
      if (signal.aborted) return;
      console.warn('live stream interrupted', e);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function readFrames(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line === '' || line.startsWith(':')) continue; // comments are heartbeats
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'event') event = v;
        else if (field === 'data') data.push(v);
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}
