// The core panels: each render function rebuilds one panel's content from the state, nothing else.
import { gauge, level, timeline } from './charts.js';
import {
  $, activatable, clientLabel, fmtAgo, fmtCost, fmtInt, fmtMs, fmtPct, fmtTime, h, plural, replaceRows, statsList,
} from './ui.js';

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
    'data-session': s.id, 'aria-selected': String(s.id === state.selected), ...activatable(() => select(s.id, true)),
  },
  h('td', { class: 'ellipsis session-name', title: s.id, text: s.id }),
  h('td', { class: 'ellipsis' }, clientLabel(s.client)),
  h('td', { class: 'ellipsis', title: s.model, text: s.model }),
  h('td', { class: 'num', text: fmtAgo(s.last_seen, now) }),
  h('td', { class: 'num fill-cell' },
    h('span', { class: 'mini', 'data-level': level(s.context_fill) },
      h('span', { style: `width:${Math.min(100, (s.context_fill || 0) * 100).toFixed(1)}%` })),
    h('span', { class: 'fill-text', text: fmtPct(s.context_fill) }))));
  replaceRows($('sessions-body'), rows, 'No sessions yet: send a request through the proxy.', 5);
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
  $('session-id').title = s ? s.id : '';
  $('session-requests').textContent = s && s.request_count != null
    ? `${plural(s.request_count, 'request')}, ${plural(s.error_count || 0, 'error')}` : '—';
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

// Configured providers first (the ones that can answer), then by name.
export function renderProviders(state) {
  const providers = [...state.providers.values()].sort((a, b) => (b.configured === true) - (a.configured === true)
    || String(a.name).localeCompare(String(b.name)));
  const rows = providers.map((p) => h('tr', { 'data-provider': p.name, class: p.configured ? '' : 'unconfigured' },
    h('td', { class: 'ellipsis', title: `${p.configured ? 'key present' : 'no key'} · ${(p.models || []).join(', ')}` },
      h('span', { class: `dot ${p.configured ? 'on' : 'off'}` }), p.name),
    p.configured
      ? h('td', {}, h('span', { class: `badge breaker-${p.breaker || 'unknown'}`, text: p.breaker ? String(p.breaker).replace('_', ' ') : '—' }))
      : h('td', {}, h('span', { class: 'badge no-key', text: 'no key' })),
    h('td', { class: 'num', text: fmtMs(p.latency_p50_ms) }),
    h('td', { class: 'num', text: fmtMs(p.latency_p95_ms) }),
    h('td', { class: 'num', text: p.error_rate == null || !p.configured ? '—' : `${(p.error_rate * 100).toFixed(1)} %` })));
  replaceRows($('providers-body'), rows, 'No providers configured.', 5);
  const configured = providers.filter((p) => p.configured).length;
  $('providers-count').textContent = providers.length ? `${configured} of ${providers.length} with a key` : '';
}

/** Requests as the client saw them, newest first; retries and fallbacks are counted on their request. */
export function renderRequests(state, open) {
  const requests = [...state.requests].sort((a, b) => b.ts - a.ts);
  const rows = requests.map((r) => {
    const attempts = Math.max(r.attempt || 1, 1);
    return h('tr', {
      'data-id': r.id, class: `${r.status >= 400 ? 'failed' : ''}${r.id === state.detailId ? ' current' : ''}`,
      'aria-selected': String(r.id === state.detailId),
      title: `${r.id}${r.error_code ? ` · ${r.error_code}` : ''}`, ...activatable(() => open(r)),
    },
    h('td', { class: 'num', text: fmtTime(r.ts) }),
    h('td', { class: 'ellipsis', title: r.session || '', text: r.session || '—' }),
    h('td', { class: 'ellipsis' }, clientLabel(r.client)),
    h('td', { class: 'ellipsis', title: r.model, text: r.model }),
    h('td', {}, h('span', { class: `badge status-${Math.floor(r.status / 100)}xx`, text: String(r.status) }),
      attempts > 1 ? h('span', { class: 'badge attempts', title: `${attempts} attempts`, text: `×${attempts}` }) : null),
    h('td', { class: 'num', text: fmtInt(r.prompt_tokens) }),
    h('td', { class: 'num', text: fmtInt(r.completion_tokens) }),
    h('td', { class: 'num', text: fmtMs(r.latency_ms) }),
    h('td', { class: 'num', text: fmtMs(r.ttfb_ms) }),
    h('td', { class: 'num', text: fmtCost(r.cost_usd) }));
  });
  replaceRows($('requests-body'), rows, 'No requests yet.', 10);
}

export function renderAlerts(state) {
  const items = state.alerts.map((a) => h('li', { class: 'alert' },
    h('span', { class: 'num time', text: fmtTime(a.ts) }),
    h('span', { class: `badge lvl-${a.level}`, text: a.level }),
    h('span', { class: 'alert-text', text: a.text })));
  $('alerts-list').replaceChildren(...(items.length ? items : [h('li', { class: 'empty', text: 'No alerts.' })]));
}

// The compaction history's newest entry, its time as a time.
function lastCompaction(entry) {
  if (!entry || typeof entry !== 'object') return entry;
  const { ts, trigger, tokens_before: before, tokens_after: after, saved, summary_source: source } = entry;
  return { last_compaction: ts ? fmtTime(ts) : null, trigger, tokens_before: before, tokens_after: after, saved, summary_source: source };
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
    : comp.message ? [h('p', { class: 'muted', text: comp.message })]
      : statsList(comp.fromHistory ? lastCompaction(comp.result) : comp.result)));
}
