// Clients and agents: every client kind the proxy serves and every agent preset, with their
// status, current task, done / failed, success rate and tokens; agent runs with their result and
// log; a run started from the page. Live through client_updated and agent_run events.
import { noRoute } from './http.js';
import {
  $, activatable, clientLabel, fmtInt, fmtMs, fmtPct, fmtTime, h, knownClients, replaceRows,
} from './ui.js';

const RUNS_PER_AGENT = 20;
const ENDED = new Set(['succeeded', 'failed', 'timed_out', 'interrupted']);

export function clientsSection({ api, mark }) {
  const s = {
    clients: new Map(), clientsAvailable: null,
    agents: [], agentsAvailable: null, runs: new Map(),
    run: null, runMessage: '', busy: false,
  };

  async function loadClients() {
    const r = await api('/api/clients').catch(() => null);
    s.clientsAvailable = !(r && noRoute(r));
    if (r && r.status === 200 && Array.isArray(r.body.data)) {
      s.clients = new Map(r.body.data.map((c) => [`${c.client}|${c.key}`, c]));
    }
    mark('clients');
  }

  async function loadAgents() {
    const r = await api('/api/agents').catch(() => null);
    s.agentsAvailable = !!(r && r.status === 200 && Array.isArray(r.body.data));
    s.agents = s.agentsAvailable ? r.body.data : [];
    const lists = await Promise.all(s.agents.map((a) => api(`/api/agents/${encodeURIComponent(a.id)}/runs?limit=${RUNS_PER_AGENT}`)
      .catch(() => null)));
    s.runs = new Map();
    for (const list of lists) {
      if (list && list.status === 200 && Array.isArray(list.body.data)) list.body.data.forEach((run) => s.runs.set(run.id, run));
    }
    mark('clients');
  }

  async function openRun(run) {
    s.run = { id: run.id, agent: run.agent, body: null };
    mark('clients');
    const r = await api(`/api/agents/${encodeURIComponent(run.agent)}/runs/${encodeURIComponent(run.id)}`).catch(() => null);
    if (!s.run || s.run.id !== run.id) return;
    s.run.body = r && r.status === 200 ? r.body : null;
    mark('clients');
  }

  async function startRun(e) {
    e.preventDefault();
    const agent = $('run-agent').value;
    const input = $('run-input').value;
    if (!agent || !input.trim()) {
      s.runMessage = 'Choose an agent and write its input.';
      mark('clients');
      return;
    }
    s.busy = true;
    s.runMessage = 'Starting…';
    mark('clients');
    const r = await api(`/api/agents/${encodeURIComponent(agent)}/run`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ input }),
    }).catch(() => null);
    s.busy = false;
    if (r && r.status === 202) {
      s.runMessage = `Run ${r.body.run_id.slice(0, 8)} ${r.body.status}.`;
      $('run-input').value = '';
      openRun({ id: r.body.run_id, agent });
    } else {
      s.runMessage = r && r.body && r.body.error ? r.body.error.message : 'The proxy did not start the run.';
    }
    mark('clients');
  }

  /** Every known kind, seen or not, then whatever else the proxy reported (a newer proxy's kinds). */
  function clientRows() {
    const seen = [...s.clients.values()];
    const rows = [...seen];
    for (const kind of knownClients()) {
      if (kind !== 'other' && !seen.some((c) => c.client === kind)) {
        rows.push({ client: kind, key: null, status: 'not seen', completed: 0, failed: 0, success_rate: null,
          prompt_tokens: 0, completion_tokens: 0, current_task: null, last_seen: null });
      }
    }
    return rows.sort((a, b) => (b.last_seen || 0) - (a.last_seen || 0));
  }

  function agentStats(agent) {
    const runs = [...s.runs.values()].filter((r) => r.agent === agent.id);
    const current = runs.find((r) => r.status === 'running') || runs.find((r) => r.status === 'queued');
    const done = runs.filter((r) => r.status === 'succeeded').length;
    const failed = runs.filter((r) => ENDED.has(r.status) && r.status !== 'succeeded').length;
    const tokens = runs.reduce((sum, r) => sum + ((r.tokens && r.tokens.total) || 0), 0);
    return { status: current ? current.status : 'idle', task: current ? current.input_preview : null, done, failed, tokens };
  }

  function render() {
    replaceRows($('clients-body'), s.clientsAvailable === false ? [] : clientRows().map((c) => h('tr', {
      'data-client': c.client, 'data-key': c.key || '',
    },
    h('td', { class: 'ellipsis' }, clientLabel(c.client)),
    h('td', { class: 'ellipsis', text: c.key || '—' }),
    h('td', {}, h('span', { class: `badge st-${String(c.status).replace(' ', '-')}`, text: c.status })),
    h('td', { class: 'ellipsis task', title: c.current_task || '', text: c.current_task || '—' }),
    h('td', { class: 'num', text: fmtInt(c.completed) }),
    h('td', { class: 'num', text: fmtInt(c.failed) }),
    h('td', { class: 'num', text: fmtPct(c.success_rate) }),
    h('td', { class: 'num', text: fmtInt((c.prompt_tokens || 0) + (c.completion_tokens || 0)) }))),
    s.clientsAvailable === false ? 'Not available in this proxy.' : 'Loading…', 8);

    replaceRows($('agents-body'), s.agents.map((a) => {
      const st = agentStats(a);
      const finished = st.done + st.failed;
      return h('tr', { 'data-agent': a.id },
        h('td', { class: 'ellipsis', title: a.description || a.id, text: a.id }),
        h('td', { class: 'ellipsis', text: a.model }),
        h('td', {}, h('span', { class: `badge st-${st.status}`, text: st.status })),
        h('td', { class: 'ellipsis task', title: st.task || '', text: st.task || '—' }),
        h('td', { class: 'num', text: fmtInt(st.done) }),
        h('td', { class: 'num', text: fmtInt(st.failed) }),
        h('td', { class: 'num', text: finished ? fmtPct(st.done / finished) : '—' }),
        h('td', { class: 'num', text: fmtInt(st.tokens) }));
    }), s.agentsAvailable === false ? 'Not available in this proxy.' : 'No agent presets: add [agents.<id>] to the config.', 8);

    const select = $('run-agent');
    const chosen = select.value;
    select.replaceChildren(...s.agents.map((a) => h('option', { value: a.id, text: a.id })));
    if (s.agents.some((a) => a.id === chosen)) select.value = chosen;
    $('run-start').disabled = s.busy || !s.agents.length;
    $('run-message').textContent = s.runMessage;

    const runs = [...s.runs.values()].sort((a, b) => b.created_at - a.created_at).slice(0, 50);
    replaceRows($('runs-body'), runs.map((r) => h('tr', {
      'data-run': r.id, 'aria-selected': String(!!s.run && s.run.id === r.id), ...activatable(() => openRun(r)),
    },
    h('td', { class: 'num', text: fmtTime(r.created_at) }),
    h('td', { class: 'ellipsis', text: r.agent }),
    h('td', {}, h('span', { class: `badge st-${r.status}`, text: r.status })),
    h('td', { class: 'num', text: fmtMs(r.duration_ms) }),
    h('td', { class: 'num', text: fmtInt(r.tokens ? r.tokens.total : null) }))), 'No runs yet.', 5);

    const run = s.run && s.run.body;
    $('run-detail').replaceChildren(...(!s.run ? [h('p', { class: 'muted', text: 'Click a run to read its result and log.' })]
      : !run ? [h('p', { class: 'muted', text: 'Loading…' })]
        : [
          h('p', { class: 'run-head', text: `${run.agent} · ${run.status}${run.error ? ` · ${run.error.message}` : ''}` }),
          h('pre', { class: 'run-result', text: run.result || '(no result)' }),
          h('ol', { class: 'run-log' }, ...(run.log || []).map((l) => h('li', {},
            h('span', { class: 'num time', text: fmtTime(l.ts) }), h('span', { text: l.message })))),
        ]));
  }

  return {
    name: 'clients',
    render,
    wire() {
      $('run-form').addEventListener('submit', startRun);
    },
    onInit() {
      loadClients();
      loadAgents();
    },
    onEvent(type, data) {
      if (type === 'client_updated') {
        s.clients.set(`${data.client}|${data.key}`, data);
        mark('clients');
      } else if (type === 'agent_run') {
        s.runs.set(data.id, { ...(s.runs.get(data.id) || {}), ...data });
        if (s.run && s.run.id === data.id && ENDED.has(data.status)) openRun(data);
        mark('clients');
      }
    },
  };
}
