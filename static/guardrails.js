// Guardrails: the recent flagged and blocked tool calls with their type, rule and reason; the rules
// of each type, viewed and edited; the on/off switch. Live through guardrail events.
import { noRoute } from './http.js';
import { $, fmtTime, h, replaceRows } from './ui.js';

const KEEP = 50;

const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export function guardrailsSection({ api, mark }) {
  const s = { rules: null, actions: [], available: null, message: '', busy: false, type: null };

  async function load() {
    const [rules, actions] = await Promise.all([api('/api/guardrails/rules').catch(() => null),
      api('/api/guardrails/actions?limit=200').catch(() => null)]);
    s.available = !(rules && noRoute(rules));
    s.rules = rules && rules.status === 200 ? rules.body : null;
    if (actions && actions.status === 200 && Array.isArray(actions.body.data)) {
      s.actions = actions.body.data.filter((a) => a.decision !== 'allowed').slice(0, KEEP);
    }
    fillForm();
    mark('guardrails');
  }

  function currentType() {
    return $('rule-type').value || (s.rules ? Object.keys(s.rules.rules)[0] : null);
  }

  // The form shows the chosen type's rule as the proxy holds it.
  function fillForm() {
    if (!s.rules) return;
    const select = $('rule-type');
    const types = Object.keys(s.rules.rules);
    if (select.options.length !== types.length) {
      select.replaceChildren(...types.map((t) => h('option', { value: t, text: t.toLowerCase().replace('_', ' ') })));
    }
    const type = types.includes(s.type) ? s.type : types[0];
    select.value = type;
    s.type = type;
    const rule = s.rules.rules[type];
    $('rule-enabled').checked = rule.enabled;
    $('rule-action').value = rule.action;
    $('rule-confirm').checked = rule.requires_confirmation;
    $('rule-blocked').value = rule.blocked_patterns.join('\n');
    $('rule-allowed').value = rule.allowed_patterns.join('\n');
  }

  async function save(e) {
    e.preventDefault();
    const type = currentType();
    const change = { rules: { [type]: {
      enabled: $('rule-enabled').checked, action: $('rule-action').value, requires_confirmation: $('rule-confirm').checked,
      blocked_patterns: lines($('rule-blocked').value), allowed_patterns: lines($('rule-allowed').value),
    } } };
    s.busy = true;
    s.message = 'Saving…';
    mark('guardrails');
    const r = await api('/api/guardrails/rules', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(change) }).catch(() => null);
    s.busy = false;
    if (r && r.status === 200) {
      s.rules = r.body;
      s.message = `Saved the ${type.toLowerCase().replace('_', ' ')} rule (until the proxy restarts).`;
      fillForm();
    } else {
      s.message = r && r.body && r.body.error ? r.body.error.message : 'The proxy did not save the rule.';
    }
    mark('guardrails');
  }

  async function toggle() {
    s.busy = true;
    mark('guardrails');
    const r = await api('/api/guardrails/toggle', { method: 'POST' }).catch(() => null);
    s.busy = false;
    if (r && r.status === 200 && s.rules) s.rules = { ...s.rules, enabled: r.body.enabled };
    mark('guardrails');
  }

  function render() {
    const on = s.rules && s.rules.enabled;
    $('guard-state').textContent = s.rules ? (on ? 'on' : 'off') : '';
    $('guard-state').dataset.on = String(!!on);
    $('guard-toggle').textContent = on ? 'Turn off' : 'Turn on';
    $('guard-toggle').disabled = !s.rules || s.busy;
    $('rule-save').disabled = !s.rules || s.busy;
    $('guard-message').textContent = s.available === false ? 'Not available in this proxy.' : s.message;
    replaceRows($('guard-body'), s.actions.map((a) => h('tr', { class: `decision-${a.decision}` },
      h('td', { class: 'num', text: fmtTime(a.ts) }),
      h('td', { class: 'ellipsis', title: a.session || '', text: a.session || '—' }),
      h('td', { class: 'ellipsis', text: a.tool }),
      h('td', { class: 'ellipsis', text: String(a.type).toLowerCase().replace('_', ' ') }),
      h('td', {}, h('span', { class: `badge decision ${a.decision}`, text: a.decision })),
      h('td', { class: 'ellipsis', text: a.rule || '—' }),
      h('td', { class: 'ellipsis', title: a.reason || '', text: a.reason || '—' }))),
    s.available === false ? 'Not available in this proxy.' : 'No tool call flagged or blocked.', 7);
  }

  return {
    name: 'guardrails',
    render,
    wire() {
      $('rule-type').addEventListener('change', () => { s.type = $('rule-type').value; fillForm(); });
      $('rule-form').addEventListener('submit', save);
      $('guard-toggle').addEventListener('click', toggle);
    },
    onInit: load,
    onEvent(type, data, ts) {
      if (type !== 'guardrail') return;
      s.actions.unshift({ ...data, ts: data.ts || ts });
      s.actions.length = Math.min(s.actions.length, KEEP);
      mark('guardrails');
    },
  };
}
