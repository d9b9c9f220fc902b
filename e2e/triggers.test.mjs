// The Triggers tab in the real window, on the Local sandbox: the book's first schedule,
// hello-world-every-minute with rate(1 minute), is built, checked with its next runs, reviewed as
// CLI commands and added; it is listed; and the sandbox fires it, so its run shows in the logs
// within about a minute.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;
/** A new every-minute schedule first fires a minute after the app sees it; a tick is 5 s. */
const FIRST_RUN_TIMEOUT_MS = 80_000;
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

test('an every-minute schedule is added, listed, and fired by the sandbox', { timeout: 240_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="function-name"]=hello-world').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="function-name"]=hello-world').click();
  await browser.$('[data-testid="tab-triggers"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="tab-triggers"]').click();
  await browser.$('[data-testid="no-triggers"]').waitForExist({ timeout: RUN_TIMEOUT_MS });

  await browser.$('[data-testid="add-schedule"]').click();
  assert.equal(await browser.$('[data-testid="rule-name"]').getValue(), 'hello-world-every-minute');
  assert.equal(await text(browser, '[data-testid="schedule-expression"]'), 'rate(1 minute)');
  await browser.$('[data-testid="next-runs"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.equal((await browser.$$('[data-testid="next-runs"] tbody tr')).length, 5);
  await screenshot(browser, 'function-triggers-schedule');

  await browser.$('[data-testid="review-schedule"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const [rule, target, permission] = await browser.$$('[data-testid="step-cli"]').map((cli) => cli.getText());
  assert.match(rule, /aws events put-rule[\s\S]*--name hello-world-every-minute[\s\S]*--schedule-expression 'rate\(1 minute\)'/);
  assert.match(target, /aws events put-targets[\s\S]*function:hello-world/);
  assert.match(permission, /aws lambda add-permission[\s\S]*--principal events\.amazonaws\.com[\s\S]*--source-arn arn:aws:events:us-east-1:123456789012:rule\/hello-world-every-minute/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();
  await browser.$('[data-testid="trigger"][data-rule="hello-world-every-minute"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="trigger"]'), /rate\(1 minute\)[\s\S]*Enabled/);
  await screenshot(browser, 'function-triggers');

  // The sandbox fires it: the scheduled event shows in the function's logs.
  await browser.$('[data-testid="tab-monitor"]').click();
  await browser.$('[data-testid="logs-panel"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(
    async () => {
      await browser.$('button=Refresh').click();
      await browser.pause(1_000);
      const events = browser.$('[data-testid="log-events"]');
      return (await events.isExisting()) && /Scheduled Event/.test(await events.getText());
    },
    { timeout: FIRST_RUN_TIMEOUT_MS, interval: 3_000, timeoutMsg: 'the schedule never ran the function' },
  );
  await screenshot(browser, 'function-scheduled-run');
});
