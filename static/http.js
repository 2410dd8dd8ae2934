// Calls to the proxy's API, with the client key when the proxy requires one.
const KEY_STORE = 'kimi-proxy.key';

let key = localStorage.getItem(KEY_STORE) || '';
let unauthorized = () => {};

export const clientKey = () => key;

export function useKey(value) {
  key = value;
  localStorage.setItem(KEY_STORE, value);
}

/** What to do when the proxy answers 401: ask for a key. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** { status, body (parsed JSON, unless options.raw), response } */
export async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) unauthorized();
  let body = null;
  const json = (response.headers.get('Content-Type') || '').includes('json');
  if (json && !options.raw) body = await response.json().catch(() => null);
  return { status: response.status, body, response };
}

// The proxy's own 404 for a path it has no route for: the feature is not in this build (yet).
export const noRoute = (r) => r.status === 404 && r.body && r.body.error && r.body.error.code === 'not_found';

/**
 * Saves what `path` answers as a file, named as the proxy says. A fetch, not a plain link: a link
 * cannot carry the client key. Resolves to the HTTP status.
 */
export async function download(path, fallbackName) {
  const r = await api(path, { raw: true });
  if (r.status !== 200) return r.status;
  const blob = await r.response.blob();
  const disposition = r.response.headers.get('Content-Disposition') || '';
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  return r.status;
}
