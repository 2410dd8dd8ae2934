// Kimi Proxy dashboard: one WebSocket for live events, a few GETs for what events do not carry.
import {
  renderAlerts, renderContextMap, renderGauge, renderHeader, renderProviders, renderRequests,
  renderSessions, renderTimeline, renderTools,
} from './render.js';
import { api, clientKey, download, noRoute, onUnauthorized, useKey } from './http.js';
import { liveFeed } from './feed.js';
import { Timeline } from './timeline.js';
import { detailSection } from './detail.js';
import { clientsSection } from './clients.js';
import { quotasSection } from './quotas.js';
import { cacheSection } from './cache.js';
import { guardrailsSection } from './guardrails.js';
import { routingSection } from './routing.js';

const MAX_ROWS = 100;
const MAX_SESSIONS = 200;
const DAY = 86400000;
const WINDOW_MINUTES = 90;
const THEME_STORE = 'kimi-proxy.theme';

const state = {
  connection: 'connecting',
  inits: 0,
  sessions: new Map(),
  selected: null,
  pinned: false, // the user picked the session; otherwise follow the most recent one
  requests: [], // the requests clients saw (no earlier attempts: those are in a request's detail)
  requestIds: new Set(),
  detailId: null,
  providers: new Map(),
  usage: { today: zeroUsage(), month: zeroUsage() },
  timeline: new Timeline(WINDOW_MINUTES),
  contextMap: null,
  alerts: [],
  sanitizer: { loaded: false, available: false, stats: null, busy: false },
  compaction: { available: null, result: null, fromHistory: false, message: '', busy: false },
};

function zeroUsage() {
  return { requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 };
}

// ---------------------------------------------------------------- rendering, once per frame

const dirty = new Set();

function mark(...panels) {
  if (!dirty.size) requestAnimationFrame(flush);
  panels.forEach((p) => dirty.add(p));
}

const context = { state, api, mark, select: (id, byUser) => select(id, byUser) };
const detail = detailSection(context);
const sections = [detail, clientsSection(context), quotasSection(context), cacheSection(context),
  guardrailsSection(context), routingSection(context)];

const renderers = {
  header: () => renderHeader(state),
  sessions: () => renderSessions(state, select),
  gauge: () => renderGauge(state),
  cmap: () => renderContextMap(state),
  timeline: () => renderTimeline(state),
  providers: () => renderProviders(state),
  requests: () => renderRequests(state, detail.open),
  alerts: () => renderAlerts(state),
  tools: () => renderTools(state),
};
sections.forEach((s) => { renderers[s.name] = s.render; });

function flush() {
  for (const panel of dirty) renderers[panel]();
  dirty.clear();
}

// Stop retrying until the user gives a key: every attempt would be refused the same way.
function needKey() {
  feed.hold();
  state.connection = 'key';
  document.getElementById('key-banner').hidden = false;
  mark('header');
}

// ---------------------------------------------------------------- the live feed

const feed = liveFeed({
  key: clientKey,
  onMessage: handle,
  onLost(opened) {
    state.connection = 'offline';
    mark('header');
    if (!opened) api('/api/sessions?limit=1').catch(() => {}); // tells a refused key from a proxy that is down
  },
});

function handle(message) {
  const { type, data, ts } = message;
  if (type !== 'init') sections.forEach((s) => s.onEvent(type, data, ts));
  switch (type) {
    case 'init': return onInit(data);
    case 'request': return onRequest(data);
    case 'session_updated': return onSession(data);
    // phase_changed says where the session went in "to"; a context map carries the phase it left it in.
    case 'phase_changed': return onSession({ id: data.session || data.id, phase: data.to || data.phase });
    case 'context_map':
      onSession({ id: data.session, phase: data.phase });
      return onContextMap(data);
    case 'provider_state': return onProvider(data);
    case 'streaming_error':
      return addAlert(ts, 'error', `Stream broke (${data.model || '?'} via ${data.provider || '?'}): ${data.message || data.error_type}`, 'stream');
    case 'alert': return addAlert(ts, data.level || 'warning', data.message || JSON.stringify(data), data.kind);
    case 'rate_limit': case 'quota':
      return addAlert(ts, data.level || 'info', data.message || `${type.replace('_', ' ')}: ${JSON.stringify(data)}`, type);
    case 'model_fallback':
      return addAlert(ts, 'info', `Fallback ${data.from} → ${data.to} (${String(data.reason || '').replaceAll('_', ' ')})`, 'fallback');
    case 'sanitizer': return loadSanitizer();
    case 'compaction':
      if (data.session === state.selected) loadCompaction();
      if (data.message) addAlert(ts, 'info', data.message, 'compaction');
      return undefined;
    default: return undefined; // heartbeat, and events only sections show
  }
}

function onInit(data) {
  state.inits++;
  state.connection = 'live';
  feed.synced(data.server && data.server.heartbeat_ms);
  state.sessions = new Map((data.sessions || []).map((s) => [s.id, s]));
  state.requests = (data.requests || []).filter((r) => r.parent_id == null).slice(0, MAX_ROWS);
  state.requestIds = new Set(state.requests.map((r) => r.id));
  if (data.usage) state.usage = { today: { ...zeroUsage(), ...data.usage.today }, month: { ...zeroUsage(), ...data.usage.month } };
  if (!providersApi) state.providers = new Map((data.providers || []).map((p) => [p.name, p]));
  if (!state.sessions.has(state.selected)) state.pinned = false;
  followLatest();
  loadTimeline();
  loadProviders();
  loadAlerts();
  loadSanitizer();
  loadContextMap();
  loadCompaction();
  sections.forEach((s) => s.onInit(data));
  mark('header', 'sessions', 'gauge', 'requests', 'providers', 'tools', 'cmap');
}

function startOfDay(ts) {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function startOfMonth(ts) {
  const d = new Date(startOfDay(ts));
  d.setDate(1);
  return d.getTime();
}

function onRequest(row) {
  if (state.requestIds.has(row.id)) return; // already in the snapshot this event raced with
  const attempt = row.parent_id != null; // an earlier attempt: counted, shown in its request's detail
  if (!attempt) {
    state.requestIds.add(row.id);
    state.requests.unshift(row);
    if (state.requests.length > MAX_ROWS) state.requestIds.delete(state.requests.pop().id);
  }
  // A page left open over midnight (or into a new month) starts the new period from zero. The
  // periods begin where the proxy's clock says (its time zone): only a whole day later is "next".
  const { today, month } = state.usage;
  if (today.from && row.ts >= today.from + DAY) state.usage.today = { ...zeroUsage(), from: startOfDay(row.ts) };
  if (month.from && row.ts >= startOfMonth(month.from + 32 * DAY)) state.usage.month = { ...zeroUsage(), from: startOfMonth(row.ts) };
  for (const period of [state.usage.today, state.usage.month]) {
    if (!attempt) period.requests += 1;
    period.prompt_tokens += row.prompt_tokens || 0;
    period.completion_tokens += row.completion_tokens || 0;
    period.cost_usd += row.cost_usd || 0;
  }
  addToTimeline(row);
  if (row.session && !attempt) countInSession(row);
  if (row.session && row.session === state.selected) loadContextMapSoon();
  mark('header', 'requests', 'timeline', 'sessions', 'gauge');
}

// A page open for days sees many sessions come and go: keep the most recent ones.
function trimSessions() {
  if (state.sessions.size <= MAX_SESSIONS) return;
  const oldest = [...state.sessions.values()].sort((a, b) => a.last_seen - b.last_seen);
  for (const s of oldest.slice(0, state.sessions.size - MAX_SESSIONS)) if (s.id !== state.selected) state.sessions.delete(s.id);
}

// The session's totals move with its requests; session_updated carries its state, not its sums.
function countInSession(row) {
  const s = state.sessions.get(row.session) || { id: row.session, client: row.client, model: row.model,
    last_seen: row.ts, request_count: 0, error_count: 0, cost_usd: 0 };
  state.sessions.set(row.session, {
    ...s, request_count: (s.request_count || 0) + 1, error_count: (s.error_count || 0) + (row.status >= 400 ? 1 : 0),
    cost_usd: (s.cost_usd || 0) + (row.cost_usd || 0), provider: s.provider || row.provider,
  });
  followLatest();
}

function onSession(update) {
  if (!update.id) return;
  const known = state.sessions.get(update.id) || { id: update.id };
  const merged = { ...known };
  // null means "unchanged" (a request that measured no prompt, or no phase engine yet).
  for (const [k, v] of Object.entries(update)) if (v != null) merged[k] = v;
  state.sessions.set(update.id, merged);
  trimSessions();
  followLatest();
  mark('sessions', 'gauge');
}

function onContextMap(map) {
  if (map.session !== state.selected) return;
  if (Array.isArray(map.parts)) {
    state.contextMap = map;
    mark('cmap', 'gauge');
  } else {
    loadContextMapSoon();
  }
}

function onProvider(update) {
  const name = update.provider || update.name;
  if (!name) return;
  state.providers.set(name, { ...(state.providers.get(name) || { name }), ...update, name });
  mark('providers');
}

function addAlert(ts, level, text, kind) {
  state.alerts.unshift({ ts: ts || Date.now(), level, text, kind });
  state.alerts.length = Math.min(state.alerts.length, MAX_ROWS);
  mark('alerts', 'quotas');
}

// The alerts the proxy keeps (budgets): they outlive a reload of the page and a restart of the proxy.
async function loadAlerts() {
  const r = await api('/api/alerts').catch(() => null);
  if (!r || r.status !== 200 || !r.body || !Array.isArray(r.body.data)) return;
  state.alerts = r.body.data.slice(0, MAX_ROWS).map((a) => ({
    ts: a.ts || Date.parse(a.created_at) || Date.now(),
    level: a.level || a.severity || 'warning',
    text: a.message || a.text || JSON.stringify(a),
    kind: a.kind,
  }));
  mark('alerts', 'quotas');
}

// ---------------------------------------------------------------- selection and context map

// Follows the most recent session that reached a model: one that only got a 404 (a mistyped
// model) is listed, but not worth the gauge.
function followLatest() {
  if (state.pinned && state.sessions.has(state.selected)) return;
  let latest = null;
  for (const s of state.sessions.values()) {
    if (s.provider && (!latest || s.last_seen > latest.last_seen)) latest = s;
  }
  const next = latest ? latest.id : null;
  if (next !== state.selected && (next || !state.sessions.has(state.selected))) focus(next);
}

function select(id, byUser) {
  state.pinned = byUser;
  if (id !== state.selected) focus(id);
}

function focus(id) {
  state.selected = id;
  state.contextMap = null;
  state.compaction = { ...state.compaction, result: null, fromHistory: false, message: '' };
  loadContextMap();
  loadCompaction();
  mark('sessions', 'gauge', 'cmap', 'tools');
}

let mapTimer = 0;
function loadContextMapSoon() {
  clearTimeout(mapTimer);
  mapTimer = setTimeout(loadContextMap, 250);
}

async function loadContextMap() {
  const id = state.selected;
  if (!id) return;
  const r = await api(`/api/sessions/${encodeURIComponent(id)}/context-map`).catch(() => null);
  if (id !== state.selected) return;
  state.contextMap = r && r.status === 200 && r.body ? { ...r.body, session: r.body.session || id } : null;
  mark('cmap', 'gauge');
}

// ---------------------------------------------------------------- tokens over time

function addToTimeline(row) {
  const series = (state.timeline.by === 'provider' ? row.provider : row.model) || 'unknown';
  state.timeline.add(row.ts, series, (row.prompt_tokens || 0) + (row.completion_tokens || 0));
}

async function loadTimeline() {
  const { by } = state.timeline;
  const r = await api(`/api/usage/timeline?minutes=${WINDOW_MINUTES}&by=${by}`).catch(() => null);
  if (!r || r.status !== 200 || by !== state.timeline.by) return;
  state.timeline.reset(by);
  for (const p of r.body.data) state.timeline.add(p.ts, p.key || 'unknown', p.prompt_tokens + p.completion_tokens);
  mark('timeline');
}

// ---------------------------------------------------------------- providers, sanitizer, compaction

let providersApi = false; // GET /api/providers answers: it has latency and error rates the snapshot lacks

async function loadProviders() {
  const r = await api('/api/providers').catch(() => null);
  providersApi = !!(r && r.status === 200 && r.body && Array.isArray(r.body.data));
  if (!providersApi) return;
  state.providers = new Map(r.body.data.map((p) => [p.name, p]));
  mark('providers');
}

async function loadSanitizer() {
  const r = await api('/api/sanitizer/stats').catch(() => null);
  state.sanitizer = { loaded: true, available: !!(r && r.status === 200), stats: r && r.body, busy: false };
  mark('tools');
}

async function toggleSanitizer() {
  state.sanitizer.busy = true;
  mark('tools');
  const r = await api('/api/sanitizer/toggle', { method: 'POST' }).catch(() => null);
  if (r && noRoute(r)) state.sanitizer.available = false;
  await loadSanitizer();
}

// Compaction history of the selected session, newest first: also tells whether this proxy compacts at all.
async function loadCompaction() {
  const id = state.selected;
  if (!id) return;
  const r = await api(`/api/compaction/${encodeURIComponent(id)}/history`).catch(() => null);
  if (id !== state.selected || state.compaction.busy) return;
  const history = r && r.status === 200 && r.body ? (Array.isArray(r.body.data) ? r.body.data : r.body) : null;
  const last = Array.isArray(history) ? history[0] : history;
  state.compaction = {
    available: !(r && noRoute(r)), busy: false, result: last || null, fromHistory: true,
    message: r && r.status === 200 && !last ? 'Not compacted yet.' : '',
  };
  mark('tools');
}

async function compaction(preview) {
  const id = state.selected;
  if (!id) return;
  state.compaction = { ...state.compaction, busy: true, message: preview ? 'Previewing…' : 'Compacting…' };
  mark('tools');
  const path = `/api/compaction/${encodeURIComponent(id)}${preview ? '/preview' : ''}`;
  const r = await api(path, { method: 'POST' }).catch(() => null);
  const failed = !r || r.status >= 400;
  state.compaction = {
    available: !(r && noRoute(r)),
    busy: false,
    result: failed ? null : r.body,
    fromHistory: false,
    message: failed ? (r && r.body && r.body.error ? r.body.error.message : 'The proxy did not answer.') : '',
  };
  mark('tools');
}

// ---------------------------------------------------------------- export

async function exportRows(format) {
  const scope = document.getElementById('export-scope').value;
  const query = scope === 'session' && state.selected ? `?session=${encodeURIComponent(state.selected)}`
    : scope === 'day' ? `?from=${Date.now() - DAY}` : '';
  const status = await download(`/api/export/${format}${query}`, `kimi-proxy-requests.${format}`);
  if (status !== 200) addAlert(Date.now(), 'error', `Export failed (${status}).`, 'export');
}

// ---------------------------------------------------------------- theme and wiring

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function toggleTheme() {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const next = dark ? 'light' : 'dark';
  localStorage.setItem(THEME_STORE, next);
  applyTheme(next);
}

function wire() {
  applyTheme(localStorage.getItem(THEME_STORE));
  onUnauthorized(needKey);
  const on = (id, event, fn) => document.getElementById(id).addEventListener(event, fn);
  on('theme', 'click', toggleTheme);
  on('export-csv', 'click', () => exportRows('csv'));
  on('export-json', 'click', () => exportRows('json'));
  on('sanitizer-toggle', 'click', toggleSanitizer);
  on('compaction-preview', 'click', () => compaction(true));
  on('compaction-run', 'click', () => compaction(false));
  for (const by of ['model', 'provider']) {
    on(`by-${by}`, 'click', () => {
      state.timeline.reset(by);
      document.getElementById('by-model').setAttribute('aria-pressed', String(by === 'model'));
      document.getElementById('by-provider').setAttribute('aria-pressed', String(by === 'provider'));
      loadTimeline();
    });
  }
  on('key-banner', 'submit', (e) => {
    e.preventDefault();
    useKey(document.getElementById('key-input').value.trim());
    document.getElementById('key-banner').hidden = true;
    feed.release();
  });
  sections.forEach((s) => s.wire && s.wire());
  new ResizeObserver(() => mark('timeline')).observe(document.getElementById('timeline-chart'));
  // Relative times age and the chart's window slides even when nothing happens.
  setInterval(() => mark('sessions', 'timeline'), 15000);
  setInterval(loadProviders, 15000);
  mark(...Object.keys(renderers));
  feed.start();
}

// For the browser tests (and the curious): drop the feed and bring it back on demand, or hand the
// page an event as if it came from the feed.
window.kimiDashboard = {
  state,
  receive: handle,
  disconnect() {
    feed.hold(4000, 'closed from the page');
    state.connection = 'paused';
    mark('header');
  },
  reconnect() {
    feed.release();
  },
};

wire();
