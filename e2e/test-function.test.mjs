// The Test tab in the real window, on the Local sandbox: the hello world blueprint's function is
// opened from the list, the HelloWorld event saved and run on the local Lambda, and its answer,
// printed values, request id and billed duration shown; invalid JSON is never sent; the result
// stays when the user looks at another tab.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Key } from 'webdriverio';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;
let sandbox;
let session;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seedBlueprint('hello-world-python', 'hello-world');
  session = await openApp(sandbox.url);
});

after(async () => {
  await session?.close();
  sandbox?.remove();
});

async function text(browser, selector) {
  return browser.$(selector).getText();
}

test('the HelloWorld event runs on the local Lambda and its output is shown', { timeout: 180_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="function-name"]=hello-world').click();
  await browser.$('[data-testid="function-title"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.equal(await text(browser, '[data-testid="function-title"]'), 'hello-world');

  // A function with no saved event starts from the hello world template, named HelloWorld.
  const editor = browser.$('[data-testid="event-editor-host"]').shadow$('[data-testid="event-editor"]');
  await editor.waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(async () => (await browser.$('[data-testid="event-name"]').getValue()) === 'HelloWorld', {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the event name never became HelloWorld',
  });
  assert.match(await editor.getText(), /"key1": "value1"[\s\S]*"key3": "value3"/);
  assert.match(await text(browser, '[data-testid="runs-locally"]'), /local Lambda/);
  await browser.$('[data-testid="save-event"]').click();
  await browser.$('[data-testid="saved-event"]=HelloWorld').waitForExist({ timeout: UI_TIMEOUT_MS });

  await browser.$('[data-testid="run-test"]').click();
  await browser.$('[data-testid="test-result"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await text(browser, '[data-testid="result-status"]'), 'Succeeded');
  assert.equal(await text(browser, '[data-testid="result-payload"]'), '"Hello World"');
  const log = await text(browser, '[data-testid="log-tail"]');
  for (const line of ['value1 = value1', 'value2 = value2', 'value3 = value3']) assert.ok(log.includes(line), `${line} in ${log}`);
  assert.match(await text(browser, '[data-testid="request-id"]'), /^[0-9a-f-]{36}$/);
  assert.match(await text(browser, '[data-testid="billed-duration"]'), /^\d+ ms$/);
  await browser.execute(() => document.querySelector('[data-testid="test-result"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(browser, 'function-test');

  // The result stays while another tab shows.
  await browser.$('[data-testid="tab-monitor"]').click();
  assert.equal(await browser.$('[data-testid="test-result"]').isDisplayed(), false);
  await browser.$('[data-testid="tab-test"]').click();
  assert.equal(await text(browser, '[data-testid="result-payload"]'), '"Hello World"');
});

test('invalid JSON is pointed at and never sent', { timeout: 60_000 }, async () => {
  const { browser } = session;
  const editor = browser.$('[data-testid="event-editor-host"]').shadow$('[data-testid="event-editor"]');
  await editor.click();
  await browser.keys([Key.Ctrl, Key.End]);
  // A modifier stays down until it is sent again.
  await browser.keys(Key.Ctrl);
  await browser.keys(',');
  await browser.$('[data-testid="event-problem"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="event-problem"]'), /not valid JSON\. Line 6, column 1\./);
  assert.equal(await browser.$('[data-testid="run-test"]').isEnabled(), false);
  await screenshot(browser, 'function-test-invalid');
  await browser.keys(Key.Backspace);
  await browser.waitUntil(async () => !(await browser.$('[data-testid="event-problem"]').isExisting()), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the problem stayed after the fix',
  });
  assert.equal(await browser.$('[data-testid="run-test"]').isEnabled(), true);
});
