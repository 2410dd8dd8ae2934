// Request detail: one request as the client saw it, its attempts, timings, tokens, cost and what
// the proxy's steps changed. Never the prompt: that is the session's context map, one click away.
import { noRoute } from './http.js';
import { $, clientName, fmtCost, fmtInt, fmtMs, fmtTime, h, plural, replaceRows } from './ui.js';

export function detailSection({ state, api, mark, select }) {
  const detail = { id: null, body: null, message: 'Click a request to see its attempts, timings and steps.' };

  async function load() {
    const { id } = detail;
    const r = await api(`/api/requests/${encodeURIComponent(id)}`).catch(() => null);
    if (id !== detail.id) return;
    detail.body = r && r.status === 200 ? r.body : null;
    detail.message = detail.body ? '' : r && noRoute(r) ? 'Not available in this proxy.' : 'This request is not in the ledger.';
    mark('detail', 'requests');
  }

  function open(row) {
    detail.id = row.id;
    detail.message = 'Loading…';
    state.detailId = row.id;
    if (row.session) select(row.session, true);
    load();
    mark('detail', 'requests');
  }

  function steps(d) {
    const done = [];
    if (d.masked) done.push(`masked ${plural(d.masked, 'tool output')}`);
    if (d.redacted) done.push(`redacted ${plural(d.redacted, 'secret')}`);
    if (d.compaction_saved_tokens) done.push(`compaction saved ${fmtInt(d.compaction_saved_tokens)} tokens`);
    if (d.guard_flagged || d.guard_blocked) {
      done.push(`guardrail flagged ${fmtInt(d.guard_flagged || 0)}, blocked ${fmtInt(d.guard_blocked || 0)}`);
    }
    if (d.cache_hit) done.push('answered from the cache');
    if (d.queue_ms == null) return 'not recorded for this request';
    return done.length ? done.join(' · ') : 'none: sent as the client wrote it';
  }

  function render() {
    const d = detail.body;
    $('detail-open-map').disabled = !d || !d.session;
    if (!d) {
      $('detail-title').textContent = '';
      $('detail-facts').replaceChildren(h('p', { class: 'muted', text: detail.message }));
      replaceRows($('detail-attempts'), [], '—', 5);
      return;
    }
    $('detail-title').textContent = `${d.model}${d.provider ? ` via ${d.provider}` : ''}`;
    const status = `${d.status}${d.error_type ? ` ${d.error_type}` : ''}${d.error_code ? ` (${d.error_code})` : ''}`;
    const tokens = `${fmtInt(d.prompt_tokens)} in · ${fmtInt(d.completion_tokens)} out`
      + `${d.cached_tokens ? ` · ${fmtInt(d.cached_tokens)} cached` : ''} · ${d.tokens_estimated ? 'estimated' : 'reported'}`;
    const facts = [
      ['Request', d.id], ['Session', d.session || '—'], ['Client', clientName(d.client)],
      ['Status', status], ['Queue', fmtMs(d.queue_ms)], ['First byte', fmtMs(d.ttfb_ms)], ['Total', fmtMs(d.latency_ms)],
      ['Tokens', tokens], ['Cost', fmtCost(d.cost_usd)], ['Steps', steps(d)],
    ];
    $('detail-facts').replaceChildren(...facts.map(([k, v]) => h('div', { 'data-fact': k.toLowerCase().replace(' ', '-') },
      h('dt', { text: k }), h('dd', { class: 'ellipsis', title: v, text: v }))));
    const attempts = Array.isArray(d.attempts) ? d.attempts : [];
    replaceRows($('detail-attempts'), attempts.map((a) => h('tr', { class: a.status >= 400 ? 'failed' : '' },
      h('td', { class: 'num', text: String(a.attempt) }),
      h('td', { class: 'num', text: fmtTime(a.ts) }),
      h('td', { class: 'ellipsis', title: `${a.model} via ${a.provider || '—'}`, text: `${a.model} via ${a.provider || '—'}` }),
      h('td', { text: `${a.status}${a.error_code ? ` ${a.error_code}` : ''}` }),
      h('td', { class: 'num', text: fmtMs(a.latency_ms) }))), 'No attempt reached a provider.', 5);
  }

  function wire() {
    $('detail-open-map').addEventListener('click', () => {
      if (!detail.body || !detail.body.session) return;
      select(detail.body.session, true);
      $('cmap-bar').closest('section').focus();
    });
  }

  return {
    name: 'detail',
    open,
    wire,
    render,
    onInit() {
      if (detail.id) load();
    },
    onEvent(type, data) {
      if (type === 'request' && data.id === detail.id) load();
    },
  };
}
