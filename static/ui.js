// What every panel uses: building elements (text always as text, never as HTML) and formatting numbers.

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

export const $ = (id) => document.getElementById(id);

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

export function fmtBytes(n) {
  if (n == null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const plural = (n, word) => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;

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

/** A table body's rows, or one row saying why there are none. */
export function replaceRows(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: columns, text: empty }))]));
}

/** A row (or item) that acts like a button: click, Enter or Space. */
export function activatable(action) {
  return {
    tabindex: 0,
    onclick: action,
    onkeydown: (e) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        action();
      }
    },
  };
}

/** A scalar field list (what a feature answers, as it comes): "tokens before 620". */
export function statsList(stats, max = 8) {
  const items = Object.entries(stats || {}).filter(([, v]) => v == null || typeof v !== 'object').slice(0, max);
  return items.map(([k, v]) => h('div', { class: 'kv' },
    h('dt', { text: k.replaceAll('_', ' ') }),
    h('dd', { class: 'num', text: typeof v === 'number' ? (Number.isInteger(v) ? fmtInt(v) : v.toFixed(4)) : String(v) })));
}

// Every client kind the proxy tells apart (core/model/ClientKind), and the two the inbound APIs add.
const CLIENTS = {
  continue: ['Continue', 'Co'],
  cline: ['Cline', 'Cl'],
  'claude-code': ['Claude Code', 'CC'],
  codex: ['Codex', 'Cx'],
  'openai-sdk': ['OpenAI SDK', 'SDK'],
  other: ['Other', '·'],
};

export const knownClients = () => Object.keys(CLIENTS);

/** A client's name; an unknown label (a newer proxy's) is shown as it is. */
export const clientName = (label) => (CLIENTS[label] || [label || '?'])[0];

/** The client's badge and name. */
export function clientLabel(label) {
  const [name, mark] = CLIENTS[label] || [label || '?', '?'];
  return h('span', { class: 'client', title: name },
    h('span', { class: `client-mark cm-${CLIENTS[label] ? label : 'unknown'}`, 'aria-hidden': 'true', text: mark }),
    h('span', { class: 'client-name', text: name }));
}
