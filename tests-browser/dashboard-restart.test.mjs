// After the proxy restarted on the sections test's database: the alerts and the spent budget are
// still on the page (they are state, not events). Usage: node dashboard-restart.test.mjs <base URL> <screenshot folder>
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { withPage } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
const WAIT = { timeout: 15000 };
await withPage({ viewport: { width: 1280, height: 900 } }, async (page, errors) => {
  console.log('- the budget alerts raised before the restart are still listed');
  await page.goto(base);
  await page.waitForSelector('#conn[data-state="live"]', WAIT);
  await page.waitForFunction(() => document.getElementById('alerts-list').textContent.includes('is spent'), null, WAIT);
  await page.waitForFunction(() => document.querySelectorAll('#quota-alerts .alert').length >= 2, null, WAIT);
  console.log('- the budget is still spent: its use came back from the ledger');
  await page.waitForFunction(() => document.querySelector('#quotas-list li[data-scope] .badge')?.textContent === 'exhausted', null, WAIT);
  await page.screenshot({ path: join(shots, 'dashboard-after-restart.png') });
  assert.deepEqual(errors, []);
  console.log('dashboard restart browser test passed');
});
