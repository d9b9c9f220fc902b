// The walking skeleton's journey: the app opens on a seeded sandbox and lists its functions; when
// the sandbox stops, the user sees a clear error with a hint, and Retry recovers once it is back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
let sandbox;
let session;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seed('orders-api', 'nightly-report');
  session = await openApp(sandbox.url);
});

after(async () => {
  await session?.close();
  sandbox?.remove();
});

async function functionNames(browser) {
  const names = await browser.$$('[data-testid="function-name"]').map((element) => element.getText());
  return names.sort();
}

test('lists the sandbox functions, reports a stopped sandbox, and recovers on Retry', { timeout: 120_000 }, async () => {
  const { browser } = session;

  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.deepEqual(await functionNames(browser), ['nightly-report', 'orders-api']);
  assert.match(await browser.$('[data-testid="context"]').getText(), /Local sandbox.*us-east-1.*123456789012/s);
  await screenshot(browser, 'function-list');

  const port = sandbox.port;
  sandbox.stop();
  await browser.$('button=Refresh').click();
  const message = browser.$('[data-testid="error-message"]');
  await message.waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('button=Retry').click();
  await message.waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.match(await message.getText(), /Could not list functions: the local sandbox at http:\/\/127\.0\.0\.1:\d+ is not answering/);
  assert.match(await browser.$('[data-testid="error-hint"]').getText(), /make sandbox/);
  await screenshot(browser, 'sandbox-down');

  sandbox.start(port);
  sandbox.seed('orders-api');
  await browser.$('button=Retry').click();
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.deepEqual(await functionNames(browser), ['orders-api']);
});
