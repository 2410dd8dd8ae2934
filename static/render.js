// Panels: each render function rebuilds one panel's content from the state, nothing else.
import { gauge, level, timeline } from './charts.js';

const $ = (id) => document.getElementById(id);

/** An HTML element: h('td', { class: 'num', text: '12' }, child...). Text goes in as text, never as HTML. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (k === 'style') node.style.cssText = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

const ints = new Intl.NumberFormat('en-US');
export const fmtInt = (n) => (n == null ? '—' : ints.format(n));
export const fmtPct = (fill) => (fill == null ? '—' : `${(fill * 100).toFixed(1)} %`);

export function fmtCost(usd) {
  if (usd == null) return '—';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(4)}`;
}

export function fmtMs(ms) {
  if (ms == null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const plural = (n, word) => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;

export function fmtTime(ts) {
  const d = new Date(ts);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function fmtAgo(ts, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ts).toLocaleDateString();
}

function replaceRows(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: columns, text: empty }))]));
}

export function renderHeader(state) {
  const { today, month } = state.usage;
  $('cost-today').textContent = fmtCost(today.cost_usd);
  $('cost-month').textContent = fmtCost(month.cost_usd);
  $('requests-today').textContent = fmtInt(today.requests);
  $('tokens-today').textContent = fmtInt(today.prompt_tokens + today.completion_tokens);
  const conn = $('conn');
  conn.dataset.state = state.connection;
  conn.textContent = { connecting: 'connecting…', live: 'live', offline: 'reconnecting…', key: 'key needed', paused: 'paused' }[state.connection];
}

export function renderSessions(state, select) {
  const sessions = [...state.sessions.values()].sort((a, b) => b.last_seen - a.last_seen);
  const now = Date.now();
  const rows = sessions.map((s) => h('tr', {
    'data-session': s.id, tabindex: 0, 'aria-selected': String(s.id === state.selected),
    title: s.id, onclick: () => select(s.id, true),
    onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(s.id, true); } },
  },
  h('td', { class: 'ellipsis', text: s.client }),
  h('td', { class: 'ellipsis', text: s.model }),
  h('td', { class: 'num', text: fmtAgo(s.last_seen, now) }),
  h('td', { class: 'num fill-cell' },
    h('span', { class: 'mini', 'data-level': level(s.context_fill) },
      h('span', { style: `width:${Math.min(100, (s.context_fill || 0) * 100).toFixed(1)}%` })),
    h('span', { class: 'fill-text', text: fmtPct(s.context_fill) }))));
  replaceRows($('sessions-body'), rows, 'No sessions yet: send a request through the proxy.', 4);
  $('sessions-count').textContent = sessions.length ? `${sessions.length}` : '';
}

export function renderGauge(state) {
  const s = state.sessions.get(state.selected);
  const map = state.contextMap && state.contextMap.session === state.selected ? state.contextMap : null;
  const reservedFrom = map && map.max_context > 0 && map.reserved_output > 0
    ? (map.max_context - map.reserved_output) / map.max_context : null;
  const fill = s ? s.context_fill : null;
  $('gauge-chart').replaceChildren(gauge(fill, reservedFrom));
  const value = $('gauge-value');
  value.textContent = s ? fmtPct(fill) : '—';
  value.dataset.level = level(s ? fill : null);
  $('gauge-tokens').textContent = s && s.max_context
    ? `${fmtInt(s.last_prompt_tokens)} / ${fmtInt(s.max_context)} tokens` : s ? `${fmtInt(s.last_prompt_tokens)} tokens` : 'no session selected';
  const phase = $('phase');
  phase.textContent = s && s.phase ? s.phase.toLowerCase() : 'no phase';
  phase.dataset.phase = s && s.phase ? s.phase.toLowerCase() : 'none';
  $('reserved').textContent = reservedFrom != null ? `reserved output: ${fmtInt(map.reserved_output)} tokens` : '';
  $('session-id').textContent = s ? s.id : '—';
  $('session-requests').textContent = s && s.requests != null
    ? `${plural(s.requests, 'request')}, ${plural(s.errors || 0, 'error')}` : '—';
  $('session-cost').textContent = s && s.cost_usd != null ? fmtCost(s.cost_usd) : '—';
}

// Stable colour per part kind, whatever names the context engine uses.
function kindClass(kind) {
  let hash = 0;
  for (const c of String(kind)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `c${hash % 7}`;
}

export function renderContextMap(state) {
  const map = state.contextMap && state.contextMap.session === state.selected ? state.contextMap : null;
  const bar = $('cmap-bar');
  const list = $('cmap-parts');
  if (!map || !Array.isArray(map.parts)) {
    bar.replaceChildren(h('span', { class: 'cmap-free', style: 'width:100%' }));
    list.replaceChildren(h('li', { class: 'empty', text: state.selected ? 'No data yet.' : 'Select a session.' }));
    $('cmap-summary').textContent = '';
    return;
  }
  const total = map.max_context > 0 ? map.max_context : Math.max(1, map.prompt_tokens);
  const pct = (tokens) => `${Math.min(100, (tokens / total) * 100).toFixed(3)}%`;
  const segments = map.parts.map((p) => h('span', {
    class: `seg ${kindClass(p.kind)} flag-${p.flag}`, style: `width:${pct(p.tokens)}`,
    title: `${p.role} · ${p.kind}: ${fmtInt(p.tokens)} tokens`,
  }));
  const reserved = map.reserved_output > 0 ? map.reserved_output : 0;
  const used = map.parts.reduce((sum, p) => sum + p.tokens, 0);
  segments.push(h('span', { class: 'cmap-free', style: `width:${pct(Math.max(0, total - used - reserved))}` }));
  if (reserved) segments.push(h('span', { class: 'cmap-reserved', style: `width:${pct(reserved)}`, title: `reserved output: ${fmtInt(reserved)} tokens` }));
  bar.replaceChildren(...segments);
  $('cmap-summary').textContent = `${fmtInt(map.prompt_tokens)} prompt tokens in ${map.parts.length} parts · ${fmtPct(map.fill)}`;
  const largest = [...map.parts].sort((a, b) => b.tokens - a.tokens).slice(0, 6);
  list.replaceChildren(...largest.map((p) => h('li', {},
    h('span', { class: `swatch ${kindClass(p.kind)}` }),
    h('span', { class: 'part-name ellipsis', text: `#${p.index} ${p.role} · ${p.kind}` }),
    h('span', { class: 'num', text: fmtInt(p.tokens) }),
    h('span', { class: `badge flag-${p.flag}`, text: String(p.flag).replace('_', ' ') }),
    h('span', { class: 'preview ellipsis', text: p.preview || '' }))));
}

export function renderTimeline(state) {
  const box = $('timeline-chart');
  const width = Math.max(200, Math.floor(box.clientWidth));
  const height = Math.max(120, Math.floor(box.clientHeight));
  const { buckets, keys, start, minute } = state.timeline.view();
  const colorOf = (key) => state.timeline.colorOf(key);
  box.replaceChildren(timeline(buckets, keys, colorOf, width, height,
    (i) => (i === buckets.length - 1 ? 'now' : fmtTime(start + i * minute).slice(0, 5))));
  const total = buckets.reduce((sum, b) => sum + [...b.values()].reduce((a, v) => a + v, 0), 0);
  $('timeline-legend').replaceChildren(...keys.map((key) => h('li', {},
    h('span', { class: `swatch c${colorOf(key) % 7}` }), h('span', { class: 'ellipsis', text: key }))),
  h('li', { class: 'legend-total num', text: `${fmtInt(total)} tokens` }));
}

export function renderProviders(state) {
  const rows = [...state.providers.values()].map((p) => h('tr', { 'data-provider': p.name },
    h('td', { class: 'ellipsis', title: `${p.configured ? 'key present' : 'no key'} · ${(p.models || []).join(', ')}` },
      h('span', { class: `dot ${p.configured ? 'on' : 'off'}` }), p.name),
    h('td', {}, h('span', { class: `badge breaker-${p.breaker || 'unknown'}`, text: p.breaker ? String(p.breaker).replace('_', ' ') : '—' })),
    h('td', { class: 'num', text: fmtMs(p.latency_p50_ms) }),
    h('td', { class: 'num', text: fmtMs(p.latency_p95_ms) }),
    h('td', { class: 'num', text: p.error_rate == null ? '—' : `${(p.error_rate * 100).toFixed(1)} %` })));
  replaceRows($('providers-body'), rows, 'No providers configured.', 5);
}

export function renderRequests(state, select) {
  const rows = state.requests.map((r) => h('tr', {
    'data-id': r.id, class: r.status >= 400 ? 'failed' : '', title: `${r.id}${r.error_code ? ` · ${r.error_code}` : ''}`,
    onclick: () => r.session && select(r.session, true),
  },
  h('td', { class: 'num', text: fmtTime(r.ts) }),
  h('td', { class: 'ellipsis', text: r.model }),
  h('td', {}, h('span', { class: `badge status-${Math.floor(r.status / 100)}xx`, text: String(r.status) })),
  h('td', { class: 'num', text: fmtInt(r.prompt_tokens) }),
  h('td', { class: 'num', text: fmtInt(r.completion_tokens) }),
  h('td', { class: 'num', text: fmtMs(r.latency_ms) }),
  h('td', { class: 'num', text: fmtMs(r.ttfb_ms) }),
  h('td', { class: 'num', text: fmtCost(r.cost_usd) })));
  replaceRows($('requests-body'), rows, 'No requests yet.', 8);
}

export function renderAlerts(state) {
  const items = state.alerts.map((a) => h('li', { class: 'alert' },
    h('span', { class: 'num time', text: fmtTime(a.ts) }),
    h('span', { class: `badge lvl-${a.level}`, text: a.level }),
    h('span', { class: 'alert-text', text: a.text })));
  $('alerts-list').replaceChildren(...(items.length ? items : [h('li', { class: 'empty', text: 'No alerts.' })]));
}

// Stats whose shape the features define: the scalar fields, as they come.
function statsList(stats) {
  const items = Object.entries(stats || {}).filter(([, v]) => v == null || typeof v !== 'object').slice(0, 8);
  return items.map(([k, v]) => h('div', { class: 'kv' },
    h('dt', { text: k.replaceAll('_', ' ') }),
    h('dd', { class: 'num', text: typeof v === 'number' ? (Number.isInteger(v) ? fmtInt(v) : v.toFixed(4)) : String(v) })));
}

export function renderTools(state) {
  const san = state.sanitizer;
  $('sanitizer-stats').replaceChildren(...(san.available
    ? statsList(san.stats) : [h('p', { class: 'muted', text: san.loaded ? 'Not available in this proxy.' : 'Loading…' })]));
  $('sanitizer-toggle').disabled = !san.available || san.busy;
  $('sanitizer-toggle').textContent = san.available && san.stats && san.stats.enabled === false ? 'Turn on' : 'Turn off';
  const comp = state.compaction;
  const canCompact = comp.available !== false && !!state.selected && !comp.busy;
  $('compaction-preview').disabled = !canCompact;
  $('compaction-run').disabled = !canCompact;
  $('compaction-result').replaceChildren(...(comp.available === false
    ? [h('p', { class: 'muted', text: 'Not available in this proxy.' })]
    : comp.message ? [h('p', { class: 'muted', text: comp.message })] : statsList(comp.result)));
}
