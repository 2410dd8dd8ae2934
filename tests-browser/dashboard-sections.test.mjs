// Every section of the dashboard in Debian's Chromium, fed by real requests through a proxy whose
// WireMock upstream answers "test" with 620 + 12 tokens (a stream for stream requests, an
// `rm -rf` tool call for a message with CLEAN-UP) and "flaky" with 500s (DashboardBrowserTest).
// Usage: node dashboard-sections.test.mjs <proxy base URL> <screenshot folder> <full-page screenshot>
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { withPage } from './chromium.mjs';

const [base, shots, fullPage] = process.argv.slice(2);
if (!base || !shots || !fullPage) {
  console.error('usage: node dashboard-sections.test.mjs <proxy base URL> <screenshot folder> <full-page screenshot>');
  process.exit(2);
}
await mkdir(shots, { recursive: true });
const WAIT = { timeout: 15000 };
const step = (text) => console.log(`- ${text}`);

async function chat({ session, model = 'test/model', ua = 'Cline/3.0', content = 'hello', stream = false, maxTokens,
  headers = {} }) {
  const body = { model, stream, messages: [{ role: 'user', content }] };
  if (maxTokens) body.max_tokens = maxTokens;
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Session-Id': session, 'User-Agent': ua, ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, id: response.headers.get('x-request-id'), cache: response.headers.get('x-kimi-cache-status'), text };
}

async function getJson(path) {
  const response = await fetch(`${base}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

const cells = (page, selector) => page.$$eval(`${selector} td`, (tds) => tds.map((td) => td.textContent));
const textOf = (page, selector) => page.$eval(selector, (e) => e.textContent);
const waitText = (page, selector, part) => page.waitForFunction(([s, p]) => document.querySelector(s)?.textContent.includes(p),
  [selector, part], WAIT);

await withPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' }, async (page, errors) => {
  step('the page loads and goes live');
  await page.goto(base);
  await page.waitForSelector('#conn[data-state="live"]', WAIT);

  step('sessions of three clients, streamed and whole, are named with their client');
  const cline = await chat({ session: 'cline-task', ua: 'Cline/3.0' });
  const cont = await chat({ session: 'continue-chat', ua: 'Continue/1.2.10 (vscode)', stream: true });
  const sdk = await chat({ session: 'sdk-script', ua: 'OpenAI/Python 1.99.0' });
  for (const r of [cline, cont, sdk]) assert.equal(r.status, 200, r.text);
  for (const [session, client] of [['cline-task', 'Cline'], ['continue-chat', 'Continue'], ['sdk-script', 'OpenAI SDK']]) {
    await page.waitForSelector(`#sessions-body tr[data-session="${session}"]`, WAIT);
    const row = await cells(page, `#sessions-body tr[data-session="${session}"]`);
    assert.equal(row[0], session);
    assert.ok(row[1].endsWith(client), `${session}: ${row[1]}`);
  }
  await page.waitForSelector(`#requests-body tr[data-id="${cont.id}"]`, WAIT);
  const streamed = await cells(page, `#requests-body tr[data-id="${cont.id}"]`);
  assert.equal(streamed[1], 'continue-chat');
  assert.ok(streamed[2].endsWith('Continue'));

  step('a hostile session name is shown as text, never as HTML');
  const hostile = '<img/src=x/onerror=window.pwned=1>';
  assert.equal((await chat({ session: hostile })).status, 200);
  await page.waitForFunction((name) => [...document.querySelectorAll('#sessions-body tr')]
    .some((tr) => tr.dataset.session === name && tr.cells[0].textContent === name), hostile, WAIT);
  assert.equal(await page.locator('#sessions-body img, #requests-body img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);

  step('a provider answering 500: retries, its breaker opens, a fallback answers: one request, its attempts grouped');
  const flaky = await chat({ session: 'flaky-run', model: 'flaky/model', content: 'PROMPT-NOT-FOR-THE-DETAIL' });
  assert.equal(flaky.status, 200, flaky.text);
  await page.waitForSelector(`#requests-body tr[data-id="${flaky.id}"]`, WAIT);
  const grouped = await cells(page, `#requests-body tr[data-id="${flaky.id}"]`);
  assert.equal(grouped[4], '200×3', 'the request shows its three attempts');
  assert.equal(await page.locator(`#requests-body tr[data-id^="${flaky.id}."]`).count(), 0, 'attempts are not rows of their own');
  await page.waitForFunction(() => document.querySelector('#providers-body tr[data-provider="flaky"] td:nth-child(2)')
    ?.textContent === 'open', null, WAIT);
  const providers = await page.$$eval('#providers-body tr', (trs) => trs.map((tr) => [tr.dataset.provider, tr.cells[1].textContent]));
  assert.deepEqual(providers.map((p) => p[0]), ['flaky', 'test', 'absent'], 'configured providers first');
  assert.equal(providers[2][1], 'no key', 'an unconfigured provider says so instead of a breaker');
  await waitText(page, '#routing-list', 'flaky/model → test/model');
  assert.match(await textOf(page, '#routing-list'), /retries exhausted/);

  step('its detail: attempts, queue, first byte, total, tokens, cost; never the prompt');
  await page.click(`#requests-body tr[data-id="${flaky.id}"]`);
  await page.waitForFunction(() => document.querySelectorAll('#detail-attempts tr').length === 3
    && document.querySelector('#detail-facts [data-fact="tokens"]'), null, WAIT);
  const attempts = await page.$$eval('#detail-attempts tr', (trs) => trs.map((tr) => [tr.cells[2].textContent, tr.cells[3].textContent]));
  assert.deepEqual(attempts.map((a) => a[0]), ['flaky/model via flaky', 'flaky/model via flaky', 'test/model via test']);
  assert.deepEqual(attempts.map((a) => a[1].split(' ')[0]), ['500', '500', '200']);
  const facts = Object.fromEntries(await page.$$eval('#detail-facts > div', (ds) => ds.map((d) => [d.dataset.fact, d.querySelector('dd').textContent])));
  assert.equal(facts.request, flaky.id);
  assert.equal(facts.status, '200');
  assert.match(facts.queue, /^\d+ ms$/);
  assert.match(facts['first-byte'], /^\d+(\.\d+)? (ms|s)$/);
  assert.match(facts.total, /^\d+(\.\d+)? (ms|s)$/);
  assert.equal(facts.tokens, '620 in · 12 out · reported');
  assert.equal(facts.cost, '$0.0013');
  assert.equal(facts.steps, 'none: sent as the client wrote it');
  assert.ok(!(await textOf(page, '#p-detail')).includes('PROMPT-NOT-FOR-THE-DETAIL'), 'the detail never shows the prompt');
  await page.click('#detail-open-map');
  await page.waitForFunction(() => window.kimiDashboard.state.selected === 'flaky-run', null, WAIT);

  step('the keyboard opens a request: Enter on its row');
  await page.focus(`#requests-body tr[data-id="${cline.id}"]`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('#detail-facts [data-fact="request"] dd')?.textContent === id, cline.id, WAIT);

  step('a context overflow keeps the model\'s window: the gauge reads the prompt over it, not 0 %');
  const over = await chat({ session: 'overflow', content: 'word '.repeat(700), maxTokens: 400 });
  assert.equal(over.status, 400, over.text);
  assert.match(over.text, /context_length_exceeded/);
  await page.waitForSelector('#sessions-body tr[data-session="overflow"]', WAIT);
  await page.focus('#sessions-body tr[data-session="overflow"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^7\d\.\d %$/.test(document.getElementById('gauge-value').textContent), null, WAIT);
  assert.match(await textOf(page, '#gauge-tokens'), /^7\d\d \/ 1,000 tokens$/);
  assert.equal(await page.getAttribute('#gauge-value', 'data-level'), 'warn');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'convergence', null, WAIT);
  assert.equal(await textOf(page, '#session-requests'), '1 request, 1 error');

  step('after a reload the page follows the latest session that reached a model, not a mistyped one');
  await page.reload();
  await page.waitForSelector('#conn[data-state="live"]', WAIT);
  const followed = await page.evaluate(() => window.kimiDashboard.state.selected);
  assert.equal(followed, 'flaky-run', 'the latest session with an answer');
  assert.equal((await chat({ session: 'typo', model: 'no/such-model' })).status, 404);
  await page.waitForSelector('#sessions-body tr[data-session="typo"]', WAIT);
  assert.equal(await page.evaluate(() => window.kimiDashboard.state.selected), followed);
  await page.click('#sessions-body tr[data-session="overflow"]');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'convergence', null, WAIT);
  assert.notEqual(await textOf(page, '#gauge-value'), '0.0 %');

  step('a smart alias\'s decision, with each candidate\'s score');
  assert.equal((await chat({ session: 'smart', model: 'auto' })).status, 200);
  await page.waitForFunction(() => /auto → test\/(model|large)/.test(document.getElementById('routing-list').textContent), null, WAIT);
  assert.match(await textOf(page, '#routing-list'), /test\/model: -?\d\.\d\d/);

  step('a flagged rm -rf: its type, rule and reason, live');
  const cleanup = await chat({ session: 'cleanup', content: 'CLEAN-UP the build folder' });
  assert.equal(cleanup.status, 200, cleanup.text);
  await waitText(page, '#guard-body', 'execute_command');
  const flagged = await cells(page, '#guard-body tr.decision-flagged');
  assert.deepEqual(flagged.slice(1, 6), ['cleanup', 'execute_command', 'terminal command', 'flagged', 'blocked_patterns']);
  assert.match(flagged[6], /rm -rf/);
  await page.waitForSelector(`#requests-body tr[data-id="${cleanup.id}"]`, WAIT);
  await page.click(`#requests-body tr[data-id="${cleanup.id}"]`);
  await page.waitForFunction(() => document.querySelector('#detail-facts [data-fact="steps"] dd')?.textContent
    === 'guardrail flagged 1, blocked 0', null, WAIT);

  step('the guardrail rules: viewed, edited, and the switch');
  await page.selectOption('#rule-type', 'TERMINAL_COMMAND');
  assert.match(await page.inputValue('#rule-blocked'), /rm -rf/);
  await page.selectOption('#rule-action', 'block');
  await page.click('#rule-save');
  await waitText(page, '#guard-message', 'Saved the terminal command rule');
  assert.equal((await getJson('/api/guardrails/rules')).rules.TERMINAL_COMMAND.action, 'block');
  await page.click('#guard-toggle');
  await page.waitForFunction(() => document.getElementById('guard-state').textContent === 'off', null, WAIT);
  assert.equal((await getJson('/api/guardrails/rules')).enabled, false);
  await page.click('#guard-toggle');
  await page.waitForFunction(() => document.getElementById('guard-state').textContent === 'on', null, WAIT);

  step('the cache manager: entries with hits and savings; delete one after a confirmation; clean up; clear');
  const cacheOn = { 'X-Kimi-Cache': 'on' };
  assert.equal((await chat({ session: 'cached', content: 'capital of France?', headers: cacheOn })).cache, 'miss');
  assert.equal((await chat({ session: 'cached', content: 'capital of France?', headers: cacheOn })).cache, 'hit');
  await page.waitForFunction(() => [...document.querySelectorAll('#cache-body tr[data-key]')]
    .some((tr) => tr.cells[4].textContent === '1'), null, WAIT);
  const entry = await cells(page, '#cache-body tr[data-key]');
  assert.equal(entry[1], 'hello');
  assert.equal(entry[5], '632', 'tokens its hit saved');
  assert.equal(entry[6], '$0.0013');
  await page.click('#cache-body tr[data-key] button');
  await page.waitForSelector('#cache-body [data-confirm="no"]:focus', WAIT);
  await page.keyboard.press('Enter'); // "No": nothing deleted
  await page.waitForFunction(() => !document.querySelector('#cache-body [data-confirm]'), null, WAIT);
  assert.equal(await page.locator('#cache-body tr[data-key]').count(), 1);
  await page.click('#cache-body tr[data-key] button');
  await page.click('#cache-body [data-confirm="yes"]');
  await page.waitForFunction(() => document.querySelectorAll('#cache-body tr[data-key]').length === 0, null, WAIT);
  assert.equal(await textOf(page, '#cache-message'), 'Entry deleted.');
  assert.equal((await chat({ session: 'cached', content: 'capital of Italy?', headers: cacheOn })).cache, 'miss');
  await page.waitForSelector('#cache-body tr[data-key]', WAIT);
  await page.click('#cache-clean');
  await waitText(page, '#cache-report', 'entries left');
  await page.click('#cache-clear');
  await page.click('#cache-clear-confirm [data-confirm="yes"]');
  await waitText(page, '#cache-body', 'Nothing cached yet.');

  step('quotas: the budget as a bar with its 30 % and 10 % marks, and its alert history');
  await page.waitForFunction(() => document.querySelector('#quotas-list li[data-scope] .badge')?.textContent === 'exhausted', null, WAIT);
  assert.equal(await page.locator('#quotas-list li[data-scope] .qmark').count(), 2);
  assert.match(await textOf(page, '#quotas-list li[data-scope] .qtext'), /of 3,000 tokens · 0\.0 % left · warns at zero/);
  await page.waitForFunction(() => document.querySelectorAll('#quota-alerts .alert').length >= 2, null, WAIT);
  assert.match(await textOf(page, '#quota-alerts'), /is spent/);
  assert.match(await textOf(page, '#alerts-list'), /provider:test daily tokens budget/);

  step('clients and agents: every client kind, an unknown one shown by its label, a run started from the page');
  const clientRow = await cells(page, '#clients-body tr[data-client="cline"]');
  const [done, failed] = [Number(clientRow[4]), Number(clientRow[5])];
  assert.ok(done >= 4, `done: ${clientRow}`);
  assert.equal(failed, 2, 'the overflow and the mistyped model');
  assert.equal(clientRow[6], `${((done / (done + failed)) * 100).toFixed(1)} %`);
  for (const kind of ['claude-code', 'codex', 'continue', 'openai-sdk']) {
    assert.equal(await page.locator(`#clients-body tr[data-client="${kind}"]`).count(), 1, kind);
  }
  assert.match((await cells(page, '#clients-body tr[data-client="claude-code"]'))[0], /Claude Code/);
  await page.evaluate(() => window.kimiDashboard.receive({ type: 'client_updated', ts: Date.now(), data: { client: 'aider',
    key: null, status: 'active', in_flight: 1, completed: 0, failed: 0, success_rate: null, prompt_tokens: 0,
    completion_tokens: 0, cost_usd: 0, last_seen: Date.now(), current_task: 'refactor <b>parser</b>' } }));
  await page.waitForSelector('#clients-body tr[data-client="aider"]', WAIT);
  const aider = await cells(page, '#clients-body tr[data-client="aider"]');
  assert.equal(aider[0], '?aider');
  assert.equal(aider[3], 'refactor <b>parser</b>');
  await page.selectOption('#run-agent', 'echo');
  await page.fill('#run-input', 'Summarize: the build is green');
  await page.click('#run-start');
  await waitText(page, '#run-message', 'Run ');
  await page.waitForFunction(() => [...document.querySelectorAll('#runs-body tr')]
    .some((tr) => tr.cells[2]?.textContent === 'succeeded'), null, WAIT);
  await waitText(page, '#run-detail', 'hello');
  assert.match(await textOf(page, '#run-detail .run-log'), /succeeded/);
  const agent = await cells(page, '#agents-body tr[data-agent="echo"]');
  assert.deepEqual([agent[0], agent[2], agent[4], agent[5], agent[6]], ['echo', 'idle', '1', '0', '100.0 %']);

  step('requests are in time order, newest first');
  const times = await page.$$eval('#requests-body tr[data-id]', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual([...times], [...times].sort().reverse());

  await page.screenshot({ path: fullPage, fullPage: true });
  await page.screenshot({ path: join(shots, 'dashboard-sections-1280.png'), fullPage: true });
  assert.deepEqual(errors, []);
  console.log('dashboard sections browser test passed');
});
