// Profiles in the real window: add one by typing keys of a second sandbox account, see its account
// id before saving, switch between two profiles and two regions with the quick switcher and see
// each one's functions, find no secret in the app's files or the page, and after a restart find
// the last choice again with its keys read back from the keyring.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Sandbox, filesUnder, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
const OTHER_ACCOUNT = '111111111111';
let sandbox;
let app;
let keys;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seed('hello-world');
  keys = sandbox.seedAccount(OTHER_ACCOUNT, 'us-east-1', 'other-east');
  sandbox.seedAccount(OTHER_ACCOUNT, 'us-west-2', 'other-west');
});

after(async () => {
  await app?.close();
  sandbox?.remove();
});

async function functionNames(browser) {
  const names = await browser.$$('[data-testid="function-name"]').map((element) => element.getText());
  return names.sort();
}

/** Waits until the list shows exactly `names` under `account`. */
async function waitForList(browser, account, names) {
  await browser.waitUntil(
    async () => {
      const context = await browser.$('[data-testid="list-context"]').getText().catch(() => '');
      return context.includes(account) && JSON.stringify(await functionNames(browser)) === JSON.stringify(names);
    },
    { timeout: UI_TIMEOUT_MS, timeoutMsg: `the list never showed ${names} under ${account}` },
  );
}

async function waitForEmpty(browser, account) {
  await browser.waitUntil(
    async () =>
      (await browser.$('[data-testid="empty"]').isExisting()) &&
      (await browser.$('[data-testid="list-context"]').getText()).includes(account),
    { timeout: UI_TIMEOUT_MS, timeoutMsg: `no empty list under ${account}` },
  );
}

/** Opens the quick switcher with Ctrl+K, types `text` and picks the first match with Enter. */
async function switchTo(browser, text, { shot } = {}) {
  await browser.keys(['Control', 'k']);
  const search = browser.$('[aria-label="Search profiles, regions and log groups"]');
  await search.waitForDisplayed({ timeout: UI_TIMEOUT_MS });
  if (shot) {
    await browser.$('[data-testid="switch-region"]').waitForDisplayed({ timeout: UI_TIMEOUT_MS });
    await screenshot(browser, shot);
  }
  await search.setValue(text);
  await browser.waitUntil(
    async () => (await browser.$$('[role="option"]').map((o) => o.getText()))[0]?.toLowerCase().includes(text.toLowerCase()),
    { timeout: UI_TIMEOUT_MS, timeoutMsg: `the switcher never offered ${text} first` },
  );
  await browser.keys('Enter');
  await browser.$('[data-testid="switcher"]').waitForExist({ reverse: true, timeout: UI_TIMEOUT_MS });
}

test('adds a profile by typing keys, switches profiles and regions, and keeps no secret in sight', { timeout: 180_000 }, async () => {
  app = await openApp(sandbox.url);
  const { browser } = app;
  await waitForList(browser, '123456789012', ['hello-world']);

  await browser.$('a=Profiles').click();
  await browser.$('button=Add profile').click();
  await browser.$('#profile-name').setValue('Other account');
  await browser.$('#access-key-id').setValue(keys.accessKeyId);
  await browser.$('#secret-access-key').setValue(keys.secretAccessKey);
  await browser.$('#session-token').setValue(keys.sessionToken);
  await browser.$('#endpoint-url').setValue(sandbox.url);
  await browser.$('[data-testid="production"]').click();
  await screenshot(browser, 'profile-add');
  await browser.$('button=Verify keys').click();
  const account = browser.$('[data-testid="identity-account"]');
  await account.waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.equal(await account.getText(), OTHER_ACCOUNT);
  assert.match(await browser.$('[data-testid="identity"]').getText(), /arn:aws:sts::111111111111:assumed-role/);
  await screenshot(browser, 'profile-verified');
  await browser.$('button=Save profile').click();
  await browser.$('p=Added Other account.').waitForExist({ timeout: UI_TIMEOUT_MS });
  const rows = await browser.$$('[data-testid="profile-row"]').map((row) => row.getText());
  assert.equal(rows.length, 2);
  assert.match(rows[1], /Other account[\s\S]*ASIA…[\s\S]*OS keyring/);
  assert.doesNotMatch(rows[1], /earlier session/);
  await browser.$('[data-testid="switch-region"]').waitForExist({ reverse: true, timeout: UI_TIMEOUT_MS });
  await screenshot(browser, 'profiles');

  await browser.$('a=Functions').click();
  await waitForList(browser, '123456789012', ['hello-world']);
  await switchTo(browser, 'Other', { shot: 'switcher' });
  await waitForList(browser, OTHER_ACCOUNT, ['other-east']);
  assert.match(await browser.$('[data-testid="context"]').getText(), /Other account.*us-east-1.*111111111111/s);
  assert.ok(await browser.$('[data-testid="production-badge"]').isExisting(), 'a production profile is marked');
  await screenshot(browser, 'function-list-production');

  await switchTo(browser, 'us-west-2');
  await waitForList(browser, OTHER_ACCOUNT, ['other-west']);
  assert.match(await browser.$('[data-testid="context"]').getText(), /Other account.*us-west-2/s);

  await switchTo(browser, 'Local sandbox');
  await waitForList(browser, '123456789012', ['hello-world']);
  assert.equal(await browser.$('[data-testid="production-badge"]').isExisting(), false);
  await switchTo(browser, 'us-west-2');
  await waitForEmpty(browser, '123456789012');

  // No secret in the app's config and data folders (profiles file, log) or in the page.
  const page = await browser.getPageSource();
  const files = filesUnder(app.home);
  assert.ok(files.some((file) => file.endsWith('profiles.json')), `profiles.json among ${files}`);
  assert.ok(files.some((file) => file.endsWith('lambdesk.log')), `lambdesk.log among ${files}`);
  for (const secret of [keys.secretAccessKey, keys.sessionToken, keys.accessKeyId]) {
    assert.equal(page.includes(secret), false, 'the page holds a secret');
    for (const file of files) {
      assert.equal(readFileSync(file, 'latin1').includes(secret), false, `${file} holds a secret`);
    }
  }
  const stored = spawnSync('secret-tool', ['search', '--all', 'service', 'lambdesk'], { encoding: 'utf8' });
  assert.match(stored.stdout + stored.stderr, /username = profile:p-/, 'the keys are in the keyring');

  // After a restart the last choice is back, and the keys come from the keyring.
  await switchTo(browser, 'Other');
  await waitForList(browser, OTHER_ACCOUNT, ['other-east']);
  await app.close({ keepHome: true });
  app = await openApp(sandbox.url, { home: app.home });
  await waitForList(app.browser, OTHER_ACCOUNT, ['other-east']);
  assert.match(await app.browser.$('[data-testid="context"]').getText(), /Other account.*us-east-1.*111111111111/s);
});

test('deleting a function on a production profile needs its name typed', { timeout: 120_000 }, async () => {
  const { browser } = app;
  await waitForList(browser, OTHER_ACCOUNT, ['other-east']);
  await browser.$('[aria-label="Delete other-east"]').click();
  const confirm = browser.$('button=Delete function');
  assert.equal(await confirm.isEnabled(), false);
  await browser.$('[aria-label="Type the name to confirm"]').setValue('other-east');
  await confirm.waitForEnabled({ timeout: UI_TIMEOUT_MS });
  await screenshot(browser, 'delete-production');
  await confirm.click();
  await waitForEmpty(browser, OTHER_ACCOUNT);
});
