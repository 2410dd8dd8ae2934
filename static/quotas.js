// Quotas and budgets: each budget's use as a bar, with the 30 % and 10 % left thresholds marked
// (where the warning and the critical alert fire), and the budgets' alert history.
import { noRoute } from './http.js';
import { $, fmtCost, fmtInt, fmtTime, h } from './ui.js';

const WARNING_LEFT = 0.3;
const CRITICAL_LEFT = 0.1;

function amount(q, value) {
  return q.metric === 'usd' ? fmtCost(value) : `${fmtInt(Math.round(value))} tokens`;
}

export function quotasSection({ state, api, mark }) {
  const s = { quotas: [], available: null };
  let timer = 0;

  async function load() {
    const r = await api('/api/quotas').catch(() => null);
    s.available = !(r && noRoute(r));
    if (r && r.status === 200 && Array.isArray(r.body.data)) s.quotas = r.body.data;
    mark('quotas');
  }

  // Spending moves with every request; one read after a burst is enough.
  function loadSoon() {
    clearTimeout(timer);
    timer = setTimeout(load, 400);
  }

  function bar(q) {
    const used = q.limit > 0 ? Math.min(1, q.used / q.limit) : 0;
    const mark30 = `${((1 - WARNING_LEFT) * 100).toFixed(0)}%`;
    const mark10 = `${((1 - CRITICAL_LEFT) * 100).toFixed(0)}%`;
    return h('div', { class: 'qbar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(q.limit),
      'aria-valuenow': String(q.used), 'aria-label': `${q.scope} ${q.period} budget used` },
    h('span', { class: `qfill lvl-${q.level}`, style: `width:${(used * 100).toFixed(1)}%` }),
    h('span', { class: 'qmark', style: `left:${mark30}`, title: '30 % left: warning' }),
    h('span', { class: 'qmark', style: `left:${mark10}`, title: '10 % left: critical' }));
  }

  function render() {
    const list = $('quotas-list');
    if (s.available === false || !s.quotas.length) {
      list.replaceChildren(h('li', { class: 'empty', text: s.available === false ? 'Not available in this proxy.'
        : 'No budgets: add [quotas."SCOPE"] to the config.' }));
    } else {
      list.replaceChildren(...s.quotas.map((q) => h('li', { 'data-scope': `${q.scope}|${q.period}|${q.metric}` },
        h('div', { class: 'qhead' },
          h('span', { class: 'ellipsis', text: `${q.scope} · ${q.period} ${q.metric === 'usd' ? 'USD' : 'tokens'}` }),
          h('span', { class: `badge lvl-${q.level}`, text: q.level })),
        bar(q),
        h('div', { class: 'qtext num', text: `${amount(q, q.used)} of ${amount(q, q.limit)} · ${(q.remaining_share * 100).toFixed(1)} % left`
          + ` · ${q.action === 'block' ? 'blocks' : 'warns'} at zero · resets ${new Date(q.resets_at).toLocaleString()}` }))));
    }
    const history = state.alerts.filter((a) => a.kind === 'quota');
    $('quota-alerts').replaceChildren(...(history.length ? history.map((a) => h('li', { class: 'alert' },
      h('span', { class: 'num time', text: fmtTime(a.ts) }),
      h('span', { class: `badge lvl-${a.level}`, text: a.level }),
      h('span', { class: 'alert-text', text: a.text }))) : [h('li', { class: 'empty', text: 'No budget alerts.' })]));
  }

  return {
    name: 'quotas',
    render,
    onInit: load,
    onEvent(type) {
      if (type === 'request' || type === 'alert' || type === 'quota') loadSoon();
      if (type === 'alert') mark('quotas');
    },
  };
}
