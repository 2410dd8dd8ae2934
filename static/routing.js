// Routing: what smart aliases chose and why (each candidate's score, or why it was passed over),
// and the fallbacks taken, with their reason. Live through routing_decision and model_fallback.
import { noRoute } from './http.js';
import { $, fmtTime, h } from './ui.js';

const KEEP = 60;

function why(decision) {
  const parts = (decision.candidates || []).map((c) => (c.skipped ? `${c.alias}: ${c.skipped}`
    : `${c.alias}: ${Number(c.score).toFixed(2)}`));
  return parts.join(' · ');
}

export function routingSection({ api, mark }) {
  const s = { items: [], available: null };

  function add(item) {
    s.items.push(item);
    s.items.sort((a, b) => b.ts - a.ts);
    s.items.length = Math.min(s.items.length, KEEP);
  }

  async function load(fallbacks) {
    const r = await api('/api/routing/decisions?limit=30').catch(() => null);
    s.available = !(r && noRoute(r));
    s.items = [];
    if (r && r.status === 200 && Array.isArray(r.body.data)) r.body.data.forEach((d) => add({ kind: 'decision', ...d }));
    (fallbacks || []).forEach((f) => add({ kind: 'fallback', ...f }));
    mark('routing');
  }

  function render() {
    const items = s.items.map((i) => (i.kind === 'decision'
      ? h('li', { class: 'route decision' },
        h('span', { class: 'num time', text: fmtTime(i.ts) }),
        h('span', { class: 'badge', text: 'smart' }),
        h('span', { class: 'route-text' }, h('strong', { text: `${i.alias} → ${i.chosen}` }),
          h('span', { class: 'muted', text: ` ${i.session ? `(${i.session}) ` : ''}${why(i)}` })))
      : h('li', { class: 'route fallback' },
        h('span', { class: 'num time', text: fmtTime(i.ts) }),
        h('span', { class: 'badge lvl-warning', text: 'fallback' }),
        h('span', { class: 'route-text' }, h('strong', { text: `${i.from} → ${i.to}` }),
          h('span', { class: 'muted', text: ` ${i.session ? `(${i.session}) ` : ''}${String(i.reason || '').replaceAll('_', ' ')}` })))));
    $('routing-list').replaceChildren(...(items.length ? items : [h('li', { class: 'empty',
      text: s.available === false ? 'Not available in this proxy.' : 'No routing decision or fallback yet.' })]));
  }

  return {
    name: 'routing',
    render,
    onInit(data) {
      load(data.fallbacks);
    },
    onEvent(type, data, ts) {
      if (type === 'routing_decision') add({ kind: 'decision', ...data, ts: data.ts || ts });
      else if (type === 'model_fallback') add({ kind: 'fallback', ...data, ts: data.ts || ts });
      else return;
      mark('routing');
    },
  };
}
