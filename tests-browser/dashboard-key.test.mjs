// The dashboard against a proxy that requires client keys: the page itself loads, asks for a key,
// and with it goes live and exports. Usage: node dashboard-key.test.mjs <proxy base URL> <key>
import assert from 'node:assert/strict';
import { withPage } from './chromium.mjs';

const [base, key] = process.argv.slice(2);
await withPage({}, async (page, errors) => {
  console.log('- without a key the page asks for one');
  await page.goto(base);
  await page.waitForSelector('#conn[data-state="key"]', { timeout: 15000 });
  assert.equal(await page.isVisible('#key-banner'), true);
  console.log('- with the key the feed goes live and exports work');
  await page.fill('#key-input', key);
  await page.click('#key-banner button[type="submit"]');
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15000 });
  assert.equal(await page.isVisible('#key-banner'), false);
  await page.selectOption('#export-scope', 'all');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  assert.deepEqual(errors, []);
  console.log('dashboard key test passed');
});
