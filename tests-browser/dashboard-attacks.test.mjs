// What a hostile web page can do to the proxy from the user's own browser: nothing. A page at
// another origin frames the dashboard (clickjacking), and a page at a DNS-rebinding name that
// resolves to 127.0.0.1 reads data and flips a switch. Usage: node dashboard-attacks.test.mjs <proxy base URL>
import assert from 'node:assert/strict';
import { withPage } from './chromium.mjs';

const [base] = process.argv.slice(2);
const port = new URL(base).port;
const step = (text) => console.log(`- ${text}`);

step('a page elsewhere cannot frame the dashboard');
await withPage({}, async (page) => {
  await page.route('http://attacker.test/', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><iframe id="victim" src="${base}/" style="opacity:0.01"></iframe>`,
  }));
  await page.goto('http://attacker.test/', { waitUntil: 'load' }); // the frame's load included
  const frame = await (await page.$('#victim')).contentFrame();
  assert.equal(await frame.$('#conn'), null, `the dashboard rendered inside a foreign frame (${frame.url()})`);
});

step('a rebinding name that resolves to 127.0.0.1 reaches nothing');
// Chromium's own Private Network Access checks would stop this replay before it reaches the proxy
// (the routed page counts as public); browsers without them do not, so they are off here: what is
// tested is the proxy's defence.
const rebinding = ['--host-resolver-rules=MAP 127.0.0.1.evil.example 127.0.0.1',
  '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,'
    + 'PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks'];
await withPage({ args: rebinding }, async (page) => {
  const evil = `http://127.0.0.1.evil.example:${port}`;
  // The attacker's page, served before the name was rebound; its own origin's requests then reach the proxy.
  await page.route(`${evil}/`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><p>hi</p>' }));
  await page.goto(`${evil}/`);
  const results = await page.evaluate(async () => {
    const exported = await fetch('/api/export/json');
    const toggled = await fetch('/api/guardrails/toggle', { method: 'POST', headers: { 'Content-Type': 'text/plain' },
      body: '{"enabled":false}' });
    return [exported.status, toggled.status];
  });
  assert.deepEqual(results, [403, 403]);
});
const guardrails = await (await fetch(`${base}/api/guardrails/stats`)).json();
assert.equal(guardrails.enabled, true, 'the guardrails were switched off');
console.log('dashboard attacks test passed');
