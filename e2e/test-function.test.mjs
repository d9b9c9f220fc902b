// The function page in the real window, on the Local sandbox: the hello world blueprint's function
// is opened from the list, the HelloWorld event saved and run on the local Lambda, and its answer,
// printed values, request id and billed duration shown; invalid JSON is never sent; the result
// stays when the user looks at another tab. Then the code is edited to raise and deployed, the
// test shows the error, Open logs opens the explorer on that run, the Monitor tab charts the runs,
// the Monitor page lists the function, Ctrl+K `logs hello` opens its group, the memory is set in
// Configuration, a dropped folder replaces the code, and Delete removes the function after a
// confirmation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/** The CodeMirror content inside an editor's shadow root. */
function codeEditor(browser, testid) {
  return browser.$(`[data-testid="${testid}-host"]`).shadow$(`[data-testid="${testid}"]`);
}

test('an edit in the code editor is deployed, and the next test shows its error', { timeout: 180_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="tab-code"]').click();
  const editor = codeEditor(browser, 'code-editor');
  await editor.waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await editor.getText(), /def lambda_handler\(event, context\)/);
  await editor.click();
  await browser.keys([Key.Ctrl, 'a']);
  await browser.keys(Key.Ctrl);
  // One line, so the editor's indentation cannot change what is typed; brackets and quotes that
  // the editor closes itself are typed over. WebKitWebDriver drops the second of two equal keys
  // sent in a row, so the doubled letter goes in two calls.
  await browser.keys("def lambda_handler(event, context): raise Exception('Exception raised manual");
  await browser.keys("ly.')");
  await browser.waitUntil(
    async () => (await editor.getText()).trim() === "def lambda_handler(event, context): raise Exception('Exception raised manually.')",
    { timeout: UI_TIMEOUT_MS, timeoutMsg: 'the editor never held the typed line' },
  ).catch(async (error) => {
    throw new Error(`${error.message}: ${JSON.stringify(await editor.getText())}`);
  });
  assert.match(await text(browser, '[data-testid="deploy-code"]'), /Deploy 1 changed file/);
  await screenshot(browser, 'function-code');

  await browser.$('[data-testid="deploy-code"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="step-cli"]'), /aws lambda update-function-code[\s\S]*--function-name hello-world[\s\S]*aws lambda wait function-updated-v2/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();

  await browser.$('[data-testid="tab-test"]').click();
  await browser.$('[data-testid="run-test"]').click();
  await browser.waitUntil(async () => (await text(browser, '[data-testid="result-status"]')) === 'Failed: Exception', {
    timeout: RUN_TIMEOUT_MS,
    timeoutMsg: 'the test never showed the raised exception',
  });
  assert.equal(await text(browser, '[data-testid="error-message"]'), 'Exception raised manually.');
  assert.match(await text(browser, '[data-testid="stack-trace"]'), /lambda_function\.py", line 1, in lambda_handler/);
  await browser.execute(() => document.querySelector('[data-testid="test-result"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(browser, 'function-test-error');
});

test('Open logs opens the log explorer on the run that raised, and All streams shows the streams', { timeout: 60_000 }, async () => {
  const { browser } = session;
  const requestId = await text(browser, '[data-testid="request-id"]');
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  await browser.$('[data-testid="open-logs"]').click();
  await browser.$('[data-testid="request-logs"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const detail = '[data-testid="request-logs"] [data-testid="log-explorer"] pre';
  await browser.waitUntil(async () => (await browser.$(detail).isExisting()) && (await text(browser, detail)).startsWith(`START RequestId: ${requestId}`), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the explorer never opened on the run',
  });
  assert.match(await text(browser, detail), /Exception raised manually\.[\s\S]*REPORT RequestId:/);
  const selected = await text(browser, '[data-testid="log-run"].selected');
  assert.ok(selected.includes(requestId) && /failed/.test(selected), selected);
  await browser.execute(() => document.querySelector('[data-testid="request-logs"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(browser, 'function-request-logs');

  await browser.$('[data-testid="all-streams"]').click();
  await browser.$('[data-testid="logs-panel"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(async () => /START RequestId:[\s\S]*REPORT RequestId:/.test(await text(browser, '[data-testid="log-events"]')), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the newest stream never showed a run',
  });
  const streams = await browser.$$('[data-testid="log-stream"]');
  assert.ok(streams.length >= 2, 'both runs wrote a stream');
  // The charts above draw when uPlot has loaded; the logs are scrolled to once they have.
  await browser.waitUntil(async () => (await browser.$$('[data-testid="metric-chart"] canvas')).length === 5, {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the charts above the logs were never drawn',
  });
  await browser.execute(() => document.querySelector('[data-testid="logs-panel"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(browser, 'function-logs');
});

test('the Monitor tab charts the runs the local Lambda recorded', { timeout: 60_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="metrics-summary"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const summary = await text(browser, '[data-testid="metrics-summary"]');
  const [, runs, errors] = summary.match(/(\d+) invocations?, (\d+) errors? .*in the last 24 h/) ?? [];
  assert.ok(Number(runs) >= 2, summary);
  assert.ok(Number(errors) >= 1, summary);
  await browser.waitUntil(async () => (await browser.$$('[data-testid="metric-chart"] canvas')).length === 5, {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'the five charts were never drawn',
  });
  await browser.execute(() => window.scrollTo(0, 0));
  await screenshot(browser, 'function-metrics');
});

test('the log explorer shows the runs grouped under their request ids, and finds the error', { timeout: 60_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="open-explorer"]').click();
  await browser.$('[data-testid="log-explorer"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="log-run"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const runs = await browser.$$('[data-testid="log-run"]').map((run) => run.getText());
  assert.ok(runs.length >= 2, 'each test run is grouped under its request id');
  assert.ok(runs.every((run) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(run)), runs.join('\n'));
  assert.ok(runs.some((run) => /failed/.test(run)), 'the run that raised is marked failed');
  await browser.$('[data-testid="log-lines"]').click();
  await browser.keys('n');
  const selected = await browser.$('[data-testid="log-explorer"] pre').getText();
  assert.match(selected, /Exception|ERROR|Traceback/);
  await screenshot(browser, 'log-explorer');

  // Follow says how it follows the sandbox, and a run made meanwhile appears in the list.
  const lineCount = async () => Number((await text(browser, '[data-testid="log-status"]')).match(/^([\d,]+) lines?/)?.[1].replace(',', ''));
  const before = await lineCount();
  await browser.$('[data-testid="log-follow"]').click();
  await browser.waitUntil(async () => /polling FilterLogEvents every 2 s\. The Local sandbox does not serve StartLiveTail\./.test(await text(browser, '[data-testid="log-status"]')), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'Follow never said how it follows',
  });
  await browser.execute(() =>
    window.__TAURI_INTERNALS__.invoke('invoke_function', {
      profileId: 'sandbox',
      region: 'us-east-1',
      request: { functionName: 'hello-world', payload: '{}', invocationType: 'RequestResponse', tailLog: false },
    }),
  );
  await browser.waitUntil(async () => (await lineCount()) > before, { timeout: RUN_TIMEOUT_MS, timeoutMsg: 'the followed run never appeared' });
  await browser.$('[data-testid="log-unfollow"]').click();
  await browser.back();
  await browser.$('[data-testid="tab-configuration"]').waitForExist({ timeout: UI_TIMEOUT_MS });
});

test("the Monitor page lists the function's runs, errors and p95 of the day, and Ctrl+K opens its logs", { timeout: 60_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="nav-monitor"]').click();
  await browser.$('[data-testid="fleet-table"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="fleet-summary"]'), /metrics read in 1 GetMetricData call\./);
  let row;
  for (const candidate of await browser.$$('[data-testid="fleet-row"]')) {
    if ((await candidate.$('[data-testid="fleet-name"]').getText()) === 'hello-world') row = candidate;
  }
  assert.ok(row, 'hello-world is listed');
  const cell = async (id) => row.$(`[data-testid="${id}"]`).getText();
  const [runs, errors, p95] = [await cell('fleet-invocations'), await cell('fleet-errors'), await cell('fleet-p95')];
  assert.ok(Number(runs) >= 2 && Number(errors) >= 1, `${runs} runs, ${errors} errors`);
  assert.match(p95, /^[\d.,]+ ms$/);
  await screenshot(browser, 'monitor');

  // The quick switcher's `logs …` opens the function's group in the log explorer.
  await browser.keys(['Control', 'k']);
  await browser.$('[data-testid="switcher"] input').setValue('logs hello');
  await browser.$('[data-testid="switch-group"]=/aws/lambda/hello-world').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.keys('Enter');
  await browser.$('[data-testid="log-run"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.match(await browser.getUrl(), /\/logs\?group=%2Faws%2Flambda%2Fhello-world$/);
  assert.equal(await text(browser, 'main h2 code'), '/aws/lambda/hello-world');
  await browser.back();
  await browser.$('[data-testid="fleet-table"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="fleet-name"]=hello-world').click();
  await browser.$('[data-testid="tab-configuration"]').waitForExist({ timeout: UI_TIMEOUT_MS });
});

test('the memory is set to 256 MB in Configuration, reviewed, and saved', { timeout: 120_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="tab-configuration"]').click();
  const memory = browser.$('[data-testid="cfg-memory"]');
  await memory.waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await memory.getValue(), '128');
  await memory.setValue('256');
  await browser.$('[data-testid="review-changes"]').click();
  const changes = browser.$('[data-testid="setting-changes"]');
  await changes.waitForExist({ timeout: RUN_TIMEOUT_MS });
  const row = await changes.$('tr[data-field="memoryMb"]').getText();
  assert.match(row, /memory\s*128 MB\s*256 MB/i);
  assert.match(await text(browser, '[data-testid="step-cli"]'), /aws lambda update-function-configuration[\s\S]*--memory-size 256/);
  await screenshot(browser, 'function-configuration-review');
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();
  await browser.$('[data-testid="configuration-saved"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.equal(await browser.$('[data-testid="cfg-memory"]').getValue(), '256');
});

test('a folder dropped on the Code tab replaces the code, checked against the handler first', { timeout: 120_000 }, async () => {
  const { browser } = session;
  const folder = mkdtempSync(path.join(tmpdir(), 'lambdesk-e2e-replace-'));
  try {
    writeFileSync(path.join(folder, 'app.py'), 'def handler(event, context):\n    return "wrong file"\n');
    await browser.$('[data-testid="tab-code"]').click();
    await codeEditor(browser, 'code-editor').waitForExist({ timeout: RUN_TIMEOUT_MS });
    // The same path through Rust as a desktop drop; on the Code tab it replaces this function's code.
    await browser.execute((paths) => window.__TAURI_INTERNALS__.invoke('simulate_drop', { paths }), [folder]);
    await browser.$('[data-testid="chosen-package"]').waitForExist({ timeout: UI_TIMEOUT_MS });
    assert.match(await browser.getUrl(), /\/function\?name=hello-world$/);
    await browser.$('[data-testid="review-replacement"]').click();
    await browser.$('[data-testid="field-error"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
    assert.match(await text(browser, '[data-testid="field-error"]'), /lambda_function\.py/);
    await screenshot(browser, 'function-code-replace');

    writeFileSync(path.join(folder, 'lambda_function.py'), 'def lambda_handler(event, context):\n    return "Replaced"\n');
    await browser.execute((paths) => window.__TAURI_INTERNALS__.invoke('simulate_drop', { paths }), [folder]);
    await browser.waitUntil(async () => /2 files/.test(await text(browser, '[data-testid="chosen-package"]')), {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'the second drop was not taken',
    });
    await browser.$('[data-testid="review-replacement"]').click();
    await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
    await browser.$('[data-testid="apply-change"]').click();
    await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
    await browser.$('[data-testid="change-close"]').click();
    await browser.waitUntil(async () => /2 files/.test(await text(browser, '[data-testid="package-summary"]')), {
      timeout: RUN_TIMEOUT_MS,
      timeoutMsg: 'the Code tab never showed the new package',
    });

    await browser.$('[data-testid="tab-test"]').click();
    await browser.$('[data-testid="run-test"]').click();
    await browser.waitUntil(async () => (await text(browser, '[data-testid="result-status"]')) === 'Succeeded', {
      timeout: RUN_TIMEOUT_MS,
      timeoutMsg: 'the replaced code never answered',
    });
    assert.equal(await text(browser, '[data-testid="result-payload"]'), '"Replaced"');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('Delete on the function page asks first, then removes the function and returns to the list', { timeout: 60_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="delete-function"]').click();
  const dialog = browser.$('[data-testid="confirm-dialog"]');
  await dialog.waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.match(await dialog.getText(), /Delete function hello-world\?/);
  await dialog.$('button=Cancel').click();
  assert.equal(await dialog.isExisting(), false);
  assert.match(await browser.getUrl(), /\/function\?name=hello-world$/);

  await browser.$('[data-testid="delete-function"]').click();
  await browser.$('[data-testid="confirm-dialog"]').$('button=Delete function').click();
  await browser.waitUntil(async () => (await browser.getUrl()).endsWith('localhost/'), {
    timeout: RUN_TIMEOUT_MS,
    timeoutMsg: 'the page never returned to the list',
  });
  await browser.waitUntil(async () => !(await browser.$('[data-testid="function-name"]=hello-world').isExisting()), {
    timeout: RUN_TIMEOUT_MS,
    timeoutMsg: 'the deleted function is still listed',
  });
});
