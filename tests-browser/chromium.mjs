// Debian's Chromium, headless, in a fresh profile that is deleted afterwards. Never a downloaded browser.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// machine's closed network refuses.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Runs `use(page, errors)` in a new browser, whatever happens closing it and removing its profile.
 * `errors` collects uncaught page errors and what the page's Content-Security-Policy refused.
 * `options.args` adds Chromium flags to the fixed ones.
 */
export async function withPage(options, use) {
  const profile = await mkdtemp(join(tmpdir(), 'kimi-proxy-chromium-'));
  const { args = [], ...rest } = options;
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, acceptDownloads: true, ...rest, args: [...ARGS, ...args],
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('Content Security Policy')) errors.push(`refused by CSP: ${m.text()}`);
    });
    try {
      await use(page, errors);
    } catch (e) {
      if (errors.length) console.error(errors.join('\n')); // an uncaught page error is often the cause
      throw e;
    }
  } finally {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
}
