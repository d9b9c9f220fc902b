// An installed Lambdesk has no repository beside it: when nothing answers at the Local sandbox's
// URL, it offers to start a sandbox itself, installs moto into its data folder with a progress bar,
// lists the new (empty) sandbox, clears the sandbox's ledger of what the old one held, and stops
// the sandbox when the app closes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { freePort, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
// The first start installs moto and its packages with pip.
const INSTALL_TIMEOUT_MS = 240_000;

async function answers(url) {
  try {
    return (await fetch(`${url}/moto-api/config`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

test('starts a sandbox of its own, with its ledger cleared, and stops it on exit', { timeout: 360_000 }, async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'lambdesk-e2e-home-'));
  const sandboxLedger = path.join(home, 'data', 'lambdesk', 'sandbox-ledger', '123456789012');
  mkdirSync(sandboxLedger, { recursive: true });
  const leftOver = { id: 'function:gone-with-the-old-sandbox', kind: 'Function', name: 'gone-with-the-old-sandbox',
    bucket: null, arn: null, createdFor: 'gone-with-the-old-sandbox', createdAt: '2026-12-01T10:00:00Z' };
  writeFileSync(path.join(sandboxLedger, 'us-east-1.json'), JSON.stringify([leftOver]));

  const nothingThere = `http://127.0.0.1:${await freePort()}`;
  const session = await openApp(nothingThere, { home });
  const { browser } = session;
  let started = null;
  let ended = [];
  try {
    const start = browser.$('button=Start the sandbox');
    await start.waitForExist({ timeout: UI_TIMEOUT_MS });
    assert.equal(await browser.$('#error-title').getText(), 'The local sandbox is not answering');
    assert.match(await browser.$('.offer').getText(), /installs moto[\s\S]*keeps everything in memory/);
    await screenshot(browser, 'sandbox-offer');

    await start.click();
    const step = browser.$('[data-testid="sandbox-step"]');
    await browser.waitUntil(async () => /Downloading \S+ \(\d+ of about 60 packages\)/.test(await step.getText().catch(() => '')), {
      timeout: INSTALL_TIMEOUT_MS,
      timeoutMsg: 'the progress never named a package being downloaded',
    });
    await screenshot(browser, 'sandbox-installing');

    await browser.$('[data-testid="empty"]').waitForExist({ timeout: INSTALL_TIMEOUT_MS });
    assert.match(await browser.$('[data-testid="sandbox-memory"]').getText(), /keeps everything in memory/);
    started = await browser.$('.endpoint').getProperty('textContent');
    assert.match(started, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(started, nothingThere);
    assert.ok(await answers(started), `the sandbox the app started answers at ${started}`);
    await browser.$('[data-testid="context-account"]').waitUntil(async function () {
      return (await this.getText()) === '123456789012';
    }, { timeout: UI_TIMEOUT_MS });
    await screenshot(browser, 'sandbox-started');

    await browser.url('tauri://localhost/cleanup');
    await browser.$('[data-testid="cleanup-empty"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  } finally {
    ({ ended } = await session.close());
  }
  assert.deepEqual(
    ended.filter(({ commandLine }) => commandLine.includes('sandbox_server.py')),
    [],
    'the app stopped its sandbox itself, before the journey had to',
  );
  const deadline = Date.now() + 10_000;
  while ((await answers(started)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await answers(started), false, 'the sandbox stopped with the app');
});
