// The dashboard in Debian's Chromium, against a running proxy whose upstream answers every chat
// request with usage 620 prompt + 12 completion tokens (DashboardBrowserTest sets that up).
// Usage: node dashboard.test.mjs <proxy base URL> <screenshot folder>
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { withPage } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node dashboard.test.mjs <proxy base URL> <screenshot folder>');
  process.exit(2);
}
await mkdir(shots, { recursive: true });

const step = (text) => console.log(`- ${text}`);

async function chat(session) {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Session-Id': session, 'User-Agent': 'Cline/3.0' },
    body: JSON.stringify({ model: 'test/model', messages: [{ role: 'user', content: `hello from ${session}` }] }),
  });
  assert.equal(response.status, 200, await response.text());
  return response.headers.get('x-request-id');
}

// Where every panel is: updates must change what is inside them, never where they are.
const panelBoxes = (page) => page.$$eval('.panel', (panels) => panels.map((p) => {
  const r = p.getBoundingClientRect();
  return `${p.className} ${r.x},${r.y} ${r.width}x${r.height}`;
}));

// The APIs the context, resilience and governance features add, answered here in their documented
// shapes, so the page's side of each contract is checked before (and after) they land.
async function featureApis(page, requestId) {
  const json = (body) => (route) => route.fulfill({ json: body });
  let sanitizer = true;
  await page.route('**/api/sessions/browser-1/context-map', json({
    session: 'browser-1', request_id: requestId, ts: Date.now(), model: 'test/model', max_context: 1000,
    reserved_output: 150, prompt_tokens: 620, fill: 0.62, parts: [
      { index: 0, role: 'system', kind: 'system', tokens: 120, flag: 'ok', preview: 'You are a coding assistant.' },
      { index: 1, role: 'tool', kind: 'tool_output', tokens: 380, flag: 'too_long', preview: '$ npm test\n> 412 passing' },
      { index: 2, role: 'user', kind: 'user_text', tokens: 120, flag: 'ok', preview: 'hello from browser-1' }],
  }));
  await page.route('**/api/providers', json({ data: [{ name: 'test', type: 'openai', configured: true,
    breaker: 'half_open', latency_p50_ms: 420, latency_p95_ms: 1800, error_rate: 0.05, models: ['test/model'] }] }));
  await page.route('**/api/alerts', json({ data: [{ ts: Date.now(), level: 'critical',
    message: 'Budget for provider test: 10 % left today' }] }));
  await page.route('**/api/sanitizer/stats', (route) => route.fulfill({ json: {
    enabled: sanitizer, masked_results: 12, tokens_saved: 34567, secrets_redacted: 3 } }));
  await page.route('**/api/sanitizer/toggle', (route) => {
    sanitizer = !sanitizer;
    return route.fulfill({ json: { enabled: sanitizer } });
  });
  await page.route('**/api/compaction/browser-1/history', json({ data: [] }));
  await page.route('**/api/compaction/browser-1/preview', json({ tokens_before: 620, tokens_after: 310, kept_messages: 5 }));
}

await withPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' }, async (page, errors) => {
  step('the page loads and its feed goes live');
  await page.goto(base);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.kimiDashboard.state.inits), 1);
  const before = await panelBoxes(page);

  step('a request through the proxy shows up without a reload');
  const first = await chat('browser-1');
  const answered = Date.now();
  // Timed in the page, at the first frame that shows both rows (same clock as this process).
  const shown = await (await page.waitForFunction((id) => document.querySelector(`#requests-body tr[data-id="${id}"]`)
    && document.querySelector('#sessions-body tr[data-session="browser-1"]') && Date.now(), first,
  { polling: 'raf', timeout: 5000 })).jsonValue();
  const lag = shown - answered;
  console.log(`  on the page ${lag} ms after the answer`);
  assert.ok(lag < 1000, `the request took ${lag} ms to show`);

  step('the gauge shows the session\'s fill: 620 of 1000 tokens, yellow');
  await page.waitForFunction(() => document.getElementById('gauge-value').textContent === '62.0 %');
  assert.equal(await page.getAttribute('#gauge-value', 'data-level'), 'warn');
  assert.equal(await page.textContent('#gauge-tokens'), '620 / 1,000 tokens');
  const row = await page.$$eval(`#requests-body tr[data-id="${first}"] td`, (tds) => tds.map((td) => td.textContent));
  assert.equal(row[1], 'browser-1', 'the request says which session it belongs to');
  assert.equal(row[2], 'ClCline', 'and which client sent it');
  assert.equal(row[4], '200');
  assert.equal(row[5], '620');
  assert.equal(row[6], '12');
  const session = await page.$$eval('#sessions-body tr[data-session="browser-1"] td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(session.slice(0, 3), ['browser-1', 'ClCline', 'test/model'], 'the session list names each session');
  assert.equal(await page.textContent('#session-requests'), '1 request, 0 errors');
  assert.equal(await page.textContent('#cost-today'), '$0.0013');
  // The latest request's context map: its one user message, with kind, tokens, flag and preview.
  // The map is stored and published just after the answer: wait for its event to reach the page.
  await page.waitForFunction(() => document.querySelector('#cmap-parts')?.textContent.includes('hello from browser-1'),
    null, { timeout: 15000 });
  const parts = await page.textContent('#cmap-parts');
  assert.match(parts, /#0 user · user_text\d+ok/);
  assert.match(parts, /hello from browser-1/);
  assert.deepEqual(await panelBoxes(page), before, 'panels moved while the page updated');

  await page.screenshot({ path: join(shots, 'dashboard-1280-light.png') });
  await page.click('#theme');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'dashboard-1280-dark.png') });

  step('a closed socket misses events and resyncs from a fresh snapshot when it reopens');
  await page.evaluate(() => window.kimiDashboard.disconnect());
  await page.waitForSelector('#conn[data-state="paused"]');
  const missed = await chat('browser-2');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#sessions-body tr[data-session="browser-2"]').count(), 0, 'event arrived on a closed socket');
  await page.evaluate(() => window.kimiDashboard.reconnect());
  await page.waitForFunction(() => window.kimiDashboard.state.inits === 2, null, { timeout: 15000 });
  await page.waitForSelector('#sessions-body tr[data-session="browser-2"]', { timeout: 5000 });
  await page.waitForSelector(`#requests-body tr[data-id="${missed}"]`, { timeout: 5000 });
  assert.equal(await page.locator('#requests-body tr[data-id]').count(), 2);
  assert.equal(await page.textContent('#requests-today'), '2');
  assert.equal(await page.textContent('#cost-today'), '$0.0026');

  step('the export buttons download the rows');
  await page.selectOption('#export-scope', 'all');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.match(csv.suggestedFilename(), /^kimi-proxy-requests-.*\.csv$/);
  await csv.saveAs(join(shots, 'export.csv'));
  const lines = (await readFile(join(shots, 'export.csv'), 'utf8')).trim().split('\n');
  assert.match(lines[0], /^id,parent_id,/);
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`${first},`)) && lines.some((l) => l.startsWith(`${missed},`)));
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  await json.saveAs(join(shots, 'export.json'));
  const rows = JSON.parse(await readFile(join(shots, 'export.json'), 'utf8'));
  assert.deepEqual(rows.map((r) => r.id).sort(), [first, missed].sort());

  step('the selected session alone exports only its rows');
  await page.click('#sessions-body tr[data-session="browser-1"]');
  await page.selectOption('#export-scope', 'session');
  const [one] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  await one.saveAs(join(shots, 'export-session.json'));
  assert.deepEqual(JSON.parse(await readFile(join(shots, 'export-session.json'), 'utf8')).map((r) => r.id), [first]);

  step('panels fed by other features show their data in the shapes those features serve');
  await featureApis(page, first);
  await page.reload();
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15000 });
  await page.click('#sessions-body tr[data-session="browser-1"]');
  // A live context_map event may redraw the panel meanwhile: wait for the served map, then read it.
  await page.waitForFunction(() => document.querySelectorAll('#cmap-bar .seg').length === 3, null, { timeout: 15000 });
  assert.equal(await page.locator('#cmap-bar .cmap-reserved').count(), 1);
  assert.match(await page.textContent('#cmap-parts li:first-child'), /^#1 tool · tool_output380too long/);
  assert.equal(await page.textContent('#reserved'), 'reserved output: 150 tokens');
  assert.equal(await page.locator('#gauge-chart .gauge-reserved').count(), 1);
  await page.waitForFunction(() => document.querySelector('#providers-body tr[data-provider="test"] td:nth-child(3)')
    ?.textContent === '420 ms');
  const provider = await page.$$eval('#providers-body tr[data-provider="test"] td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(provider, ['test', 'half open', '420 ms', '1.80 s', '5.0 %']);
  await page.waitForSelector('#alerts-list .alert');
  assert.match(await page.textContent('#alerts-list'), /Budget for provider test: 10 % left today/);
  await page.evaluate(() => window.kimiDashboard.receive({ type: 'phase_changed', ts: Date.now(),
    data: { session: 'browser-1', from: 'EXPANSION', to: 'CONVERGENCE', fill: 0.62 } }));
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'convergence');
  await page.evaluate(() => window.kimiDashboard.receive({ type: 'streaming_error', ts: Date.now(),
    data: { model: 'test/model', provider: 'test', message: 'connection reset' } }));
  await page.waitForFunction(() => document.getElementById('alerts-list').textContent.includes('connection reset'));
  assert.equal(await page.textContent('#sanitizer-toggle'), 'Turn off');
  await page.click('#sanitizer-toggle');
  await page.waitForFunction(() => document.getElementById('sanitizer-toggle').textContent === 'Turn on');
  assert.equal(await page.textContent('#compaction-result'), 'Not compacted yet.');
  await page.click('#compaction-preview');
  await page.waitForFunction(() => document.getElementById('compaction-result').textContent.includes('tokens after310'));
  await page.screenshot({ path: join(shots, 'dashboard-1280-features-dark.png'), fullPage: true });

  step('a narrow window still shows every panel');
  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 420 px window`);
  await page.screenshot({ path: join(shots, 'dashboard-420-dark.png'), fullPage: true });

  assert.deepEqual(errors, []);
  console.log('dashboard browser test passed');
});
