// The create-function wizard in the real window: hello world in Python from its blueprint with a
// new basic role, through Review (the CLI commands shown) to Create; then code uploaded by
// dropping a zip on the window. Screenshots of every wizard page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
let sandbox;
let session;
let scratch;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seed('orders-api');
  scratch = mkdtempSync(path.join(tmpdir(), 'lambdesk-e2e-code-'));
  session = await openApp(sandbox.url);
});

after(async () => {
  await session?.close();
  sandbox?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function waitForText(browser, selector, pattern) {
  await browser.waitUntil(async () => pattern.test(await browser.$(selector).getText().catch(() => '')), {
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: `${selector} never matched ${pattern}`,
  });
}

/** The function's configuration as the sandbox holds it, or null when it has none by that name. */
function sandboxFunction(name) {
  const answer = execFileSync('python3', ['-c', `
import urllib.error, urllib.request
request = urllib.request.Request("${sandbox.url}/2015-03-31/functions/${name}/configuration",
  headers={"Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x"})
try:
    print(urllib.request.urlopen(request).read().decode())
except urllib.error.HTTPError as error:
    print("null" if error.code == 404 else error.read().decode())
`]).toString();
  return JSON.parse(answer);
}

async function next(browser, page) {
  await browser.$('[data-testid="next"]').click();
  await browser.$(`[data-testid="wizard-${page}"]`).waitForExist({ timeout: UI_TIMEOUT_MS });
}

async function functionRow(browser, name) {
  await browser.url('tauri://localhost/');
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(
    async () => (await browser.$$('[data-testid="function-name"]').map((e) => e.getText())).includes(name),
    { timeout: UI_TIMEOUT_MS, timeoutMsg: `${name} never appeared in the list` },
  );
  const rows = await browser.$$('[data-testid="function-row"]').map((row) => row.getText());
  return rows.find((text) => text.includes(name));
}

test('hello world in Python from its blueprint, with a new basic role', { timeout: 180_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="create-function"]').click();

  await browser.$('[data-testid="blueprint-preview"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="blueprint-search"]').setValue('hello python');
  await browser.$('[data-testid="blueprint-hello-world-python"]').click();
  await waitForText(browser, '[data-testid="blueprint-preview"]', /Hello world \(Python\)[\s\S]*key1[\s\S]*"key3": "value3"/);
  await screenshot(browser, 'wizard-code');

  await next(browser, 'basics');
  assert.equal(await browser.$('[data-testid="handler"]').getValue(), 'lambda_function.lambda_handler');
  assert.equal(await browser.$('[data-testid="runtime"]').getValue(), 'python3.13');
  await browser.$('[data-testid="function-name"]').setValue('hello world');
  await browser.$('[data-testid="next"]').click();
  await waitForText(browser, '[data-testid="field-error"][data-field="functionName"]', /letters, digits, hyphens or underscores/);
  await screenshot(browser, 'wizard-2-basics-error');
  await browser.$('[data-testid="function-name"]').setValue('hello-from-wizard');
  await screenshot(browser, 'wizard-2-basics');

  await next(browser, 'role');
  assert.equal(await browser.$('[data-testid="role-name"]').getValue(), 'hello-from-wizard-role');
  assert.equal(await browser.$('[data-testid="template-basic"]').isSelected(), true);
  await screenshot(browser, 'wizard-3-role');

  await next(browser, 'settings');
  await browser.$('[data-testid="memory"]').setValue('99999');
  await browser.$('[data-testid="next"]').click();
  await waitForText(browser, '[data-testid="field-error"][data-field="memoryMb"]', /between 128 and 10240 MB/);
  await browser.$('[data-testid="memory"]').setValue('256');
  await screenshot(browser, 'wizard-4-settings');

  await next(browser, 'review');
  await browser.$('[data-testid="step-cli"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const commands = await browser.$$('[data-testid="step-cli"]').map((e) => e.getText());
  assert.equal(commands.length, 3);
  assert.match(commands[0], /^aws iam create-role[\s\S]*--role-name hello-from-wizard-role/);
  assert.match(commands[1], /^aws iam attach-role-policy[\s\S]*AWSLambdaBasicExecutionRole/);
  assert.match(commands[2], /^aws lambda create-function[\s\S]*--runtime python3\.13[\s\S]*--memory-size 256[\s\S]*--endpoint-url http:\/\/127\.0\.0\.1:\d+/);
  assert.match(commands[2], /aws lambda wait function-active-v2/);
  assert.equal(sandboxFunction('hello-from-wizard'), null, 'nothing is created before Create is pressed');
  const { scrollWidth, clientWidth } = await browser.execute(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `Review scrolls sideways: ${scrollWidth} > ${clientWidth}`);
  await screenshot(browser, 'wizard-review');

  await browser.$('[data-testid="create"]').click();
  await browser.$('[data-testid="apply-done"]').waitForExist({ timeout: 60_000 });
  const statuses = await browser.$$('[data-testid="apply-steps"] li').map((e) => e.getAttribute('data-status'));
  assert.deepEqual(statuses, ['Done', 'Done', 'Done']);
  await screenshot(browser, 'wizard-created');
  assert.equal(await browser.$('[data-testid="test-it"]').isDisplayed(), true);

  const row = await functionRow(browser, 'hello-from-wizard');
  assert.match(row, /python3\.13/);
  assert.match(row, /256 MB/);
  const configuration = sandboxFunction('hello-from-wizard');
  assert.equal(configuration.Handler, 'lambda_function.lambda_handler');
  assert.equal(configuration.Runtime, 'python3.13');
  assert.equal(configuration.MemorySize, 256);
  assert.match(configuration.Role, /role\/hello-from-wizard-role$/);

  await browser.url('tauri://localhost/cleanup');
  await waitForText(browser, '[data-testid="cleanup-table"]', /Role[\s\S]*hello-from-wizard-role[\s\S]*Function[\s\S]*hello-from-wizard/);
  await screenshot(browser, 'cleanup');
});

test('code uploaded by dropping a zip on the window, with the handler checked against it', { timeout: 180_000 }, async () => {
  // A second function starts from an empty wizard.
  const { browser } = session;
  const zip = path.join(scratch, 'uploaded.zip');
  execFileSync('python3', ['-c', `
import zipfile
with zipfile.ZipFile("${zip}", "w") as z:
    z.writestr("app.py", "def main(event, context):\\n    return 'uploaded'\\n")
    z.writestr("lib/helpers.py", "X = 1\\n")
`]);
  // Dropped on the function list, not the wizard: the drop still lands on the wizard's Code page.
  await browser.url('tauri://localhost/');
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  // WebDriver cannot drag from the desktop: the e2e build's test-only command hands Rust the same
  // drop a desktop drop would, and Rust tells the page.
  await browser.execute((paths) => window.__TAURI_INTERNALS__.invoke('simulate_drop', { paths }), [zip]);
  await waitForText(browser, '[data-testid="package-info"]', /2 files[\s\S]*app\.py[\s\S]*lib\/helpers\.py/);
  await screenshot(browser, 'wizard-upload');

  assert.equal(await browser.getUrl(), 'tauri://localhost/create');
  await next(browser, 'basics');
  assert.equal(await browser.$('[data-testid="function-name"]').getValue(), '', 'the wizard starts empty after a Create');
  await browser.$('[data-testid="function-name"]').setValue('uploaded-zip');
  await browser.$('[data-testid="next"]').click();
  await waitForText(browser, '[data-testid="field-error"][data-field="handler"]', /needs lambda_function\.py/);
  await screenshot(browser, 'wizard-upload-handler');
  await browser.$('[data-testid="handler"]').setValue('app.main');
  await next(browser, 'role');
  await next(browser, 'settings');
  await next(browser, 'review');
  await browser.$('[data-testid="step-cli"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const commands = await browser.$$('[data-testid="step-cli"]').map((e) => e.getText());
  assert.match(commands.at(-1), new RegExp(`--zip-file fileb://${zip.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  await browser.$('[data-testid="create"]').click();
  await browser.$('[data-testid="apply-done"]').waitForExist({ timeout: 60_000 });
  const row = await functionRow(browser, 'uploaded-zip');
  assert.match(row, /python3\.13/);
});
