// The walking skeleton's journey: the app opens on a seeded sandbox and lists its functions; when
// the sandbox stops, the user sees a clear error with a hint, and Retry recovers once it is back.
// Then All regions lists every region at once, and a function of another region opens there; a
// long list draws only the rows in view, yet scrolls to its end and filters.
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

test('lists every region at once and opens a function in its own region', { timeout: 120_000 }, async () => {
  const { browser } = session;
  sandbox.seedIn('eu-west-1', 'eu-reports');
  await browser.$('[data-testid="all-regions"]').click();
  await browser.$('[data-testid="function-name"]=eu-reports').waitForExist({ timeout: UI_TIMEOUT_MS });
  const context = browser.$('[data-testid="list-context"]');
  await browser.waitUntil(async () => /^2 in \d+ regions ·/.test(await context.getText()), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the list never said every region was done',
  });
  const rows = await browser.$$('[data-testid="function-row"]').map(async (row) => {
    const name = await row.$('[data-testid="function-name"]').getText();
    const region = await row.$('[data-testid="function-region"]').getText();
    return `${name} ${region}`;
  });
  assert.deepEqual(rows, ['eu-reports eu-west-1', 'orders-api us-east-1']);
  await screenshot(browser, 'function-list-all-regions');

  await browser.$('[data-testid="function-name"]=eu-reports').click();
  await browser.waitUntil(async () => (await browser.$('[data-testid="context-region"]').getText()) === 'eu-west-1', {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the app did not switch to the function\'s region',
  });
  await browser.$('[data-testid="function-title"]=eu-reports').waitForExist({ timeout: UI_TIMEOUT_MS });
});

test('a long list draws the rows in view, scrolls to its last function and filters', { timeout: 120_000 }, async () => {
  const { browser } = session;
  const names = Array.from({ length: 80 }, (_, index) => `bulk-${String(index).padStart(3, '0')}`);
  sandbox.seedIn('eu-west-1', ...names);
  await browser.url('tauri://localhost/');
  const context = browser.$('[data-testid="list-context"]');
  await browser.waitUntil(async () => (await context.getText()).startsWith('81 in eu-west-1'), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the list never showed the 81 functions of eu-west-1',
  });
  const drawn = await browser.$$('[data-testid="function-row"]').length;
  assert.ok(drawn < 40, `${drawn} of 81 rows drawn, not only those in view`);

  await browser.execute(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await browser.$('[data-testid="function-name"]=eu-reports').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="function-name"]=bulk-079').waitForDisplayed({ timeout: UI_TIMEOUT_MS });

  await browser.$('input[type="search"]').setValue('bulk-07');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="function-row"]').length) === 10, {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the filter did not narrow the list to bulk-070 to bulk-079',
  });
  const filtered = await browser.$$('[data-testid="function-name"]').map((element) => element.getText());
  assert.deepEqual(filtered, names.slice(70));
});
