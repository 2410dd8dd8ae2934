// Cache manager: the stored answers with a preview, size, hits, and the tokens and cost their hits
// saved; delete one (after a confirmation), clear all (after one too), run the clean-up and show
// its report.
import { noRoute } from './http.js';
import { $, fmtBytes, fmtCost, fmtInt, fmtTime, h, replaceRows, statsList } from './ui.js';

const ENTRIES = 50;

export function cacheSection({ api, mark }) {
  const s = { stats: null, entries: [], available: null, confirm: null, focusConfirm: false, report: null, message: '' };
  let timer = 0;

  async function load() {
    const [stats, entries] = await Promise.all([api('/api/cache/stats').catch(() => null),
      api(`/api/cache/entries?limit=${ENTRIES}`).catch(() => null)]);
    s.available = !(stats && noRoute(stats));
    s.stats = stats && stats.status === 200 ? stats.body : null;
    s.entries = entries && entries.status === 200 && Array.isArray(entries.body.data) ? entries.body.data : [];
    mark('cache');
  }

  function loadSoon() {
    clearTimeout(timer);
    timer = setTimeout(load, 400);
  }

  async function act(path, method, done) {
    s.message = 'Working…';
    mark('cache');
    const r = await api(path, { method }).catch(() => null);
    s.message = r && r.status === 200 ? done(r.body) : (r && r.body && r.body.error ? r.body.error.message : 'The proxy did not answer.');
    s.confirm = null;
    await load();
  }

  function confirmRow(key) {
    return h('span', { class: 'confirm' },
      h('span', { text: key === '*' ? 'Clear every entry?' : 'Delete?' }),
      h('button', { type: 'button', class: 'danger', 'data-confirm': 'yes', text: 'Yes',
        onclick: () => (key === '*'
          ? act('/api/cache/clear', 'POST', () => 'Cache cleared.')
          : act(`/api/cache/${encodeURIComponent(key)}`, 'DELETE', () => 'Entry deleted.')) }),
      h('button', { type: 'button', 'data-confirm': 'no', text: 'No', onclick: () => { s.confirm = null; mark('cache'); } }));
  }

  function render() {
    const on = s.stats && s.stats.enabled;
    $('cache-summary').textContent = s.stats
      ? `${fmtInt(s.stats.entries)} entries · ${fmtBytes(s.stats.size_bytes)} · ${fmtInt(s.stats.hits)} hits, ${fmtInt(s.stats.misses)} misses`
        + ` · saved ${fmtInt(s.stats.tokens_saved)} tokens, ${fmtCost(s.stats.cost_saved_usd)}`
      : '';
    $('cache-clear-confirm').replaceChildren(...(s.confirm === '*' ? [confirmRow('*')] : []));
    $('cache-clear').disabled = !s.available || !s.entries.length;
    $('cache-clean').disabled = !s.available;
    $('cache-message').textContent = s.available === false ? 'Not available in this proxy.'
      : s.stats && !on ? 'The cache is off ([cache] enabled = false).' : s.message;
    $('cache-report').replaceChildren(...statsList(s.report, 6));
    replaceRows($('cache-body'), s.entries.map((e) => h('tr', { 'data-key': e.key },
      h('td', { class: 'num', text: fmtTime(e.created) }),
      h('td', { class: 'ellipsis', title: e.preview, text: e.preview }),
      h('td', { class: 'ellipsis', text: e.model }),
      h('td', { class: 'num', text: fmtBytes(e.size_bytes) }),
      h('td', { class: 'num', text: fmtInt(e.hits) }),
      h('td', { class: 'num', text: fmtInt(e.hits * ((e.prompt_tokens || 0) + (e.completion_tokens || 0))) }),
      h('td', { class: 'num', text: fmtCost(e.hits * (e.cost_usd || 0)) }),
      h('td', {}, s.confirm === e.key ? confirmRow(e.key)
        : h('button', { type: 'button', class: 'small', 'aria-label': `Delete the cached answer "${e.preview}"`, text: 'Delete',
          onclick: () => ask(e.key) })))),
    s.available === false ? 'Not available in this proxy.' : 'Nothing cached yet.', 8);
    // The question replaced the button that asked it: the keyboard goes on from its safe answer.
    if (s.focusConfirm) {
      s.focusConfirm = false;
      const no = document.querySelector('#p-cache [data-confirm="no"]');
      if (no) no.focus();
    }
  }

  function ask(key) {
    s.confirm = key;
    s.focusConfirm = true;
    mark('cache');
  }

  return {
    name: 'cache',
    render,
    wire() {
      $('cache-clear').addEventListener('click', () => ask('*'));
      $('cache-clean').addEventListener('click', async () => {
        s.message = 'Cleaning…';
        mark('cache');
        const r = await api('/api/cache/auto-clean', { method: 'POST' }).catch(() => null);
        s.report = r && r.status === 200 ? r.body : null;
        s.message = s.report ? 'Clean-up done:' : 'The clean-up failed.';
        await load();
      });
    },
    onInit: load,
    onEvent(type, data) {
      if (type === 'request' && data.parent_id == null && data.status < 400) loadSoon();
    },
  };
}
