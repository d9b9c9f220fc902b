// With no Secret Service on the session bus (a desktop without a keyring), the profiles page says
// what is wrong and how to fix it, and a profile can still be added with its keys kept in memory
// for this session only: never in a file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Sandbox, filesUnder, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
let sandbox;
let app;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  app = await openApp(sandbox.url, { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/lambdesk-no-bus' } });
});

after(async () => {
  await app?.close();
  sandbox?.remove();
});

test('explains a missing keyring and keeps keys for the session only', { timeout: 120_000 }, async () => {
  const { browser } = app;
  await browser.$('a=Profiles').click();
  const problem = browser.$('[data-testid="keyring-problem"]');
  await problem.waitForExist({ timeout: UI_TIMEOUT_MS });
  const text = await problem.getText();
  assert.match(text, /gnome-keyring, KWallet or KeePassXC/);
  assert.match(text, /this session only/);
  assert.ok(await browser.$('button=Check again').isExisting());

  const secret = 'NoKeyringSecret/000000000000000000000000';
  await browser.$('button=Add profile').click();
  await browser.$('#profile-name').setValue('Session only');
  await browser.$('#access-key-id').setValue('AKIANOKEYRING0000001');
  await browser.$('#secret-access-key').setValue(secret);
  await browser.$('#endpoint-url').setValue(sandbox.url);
  const sessionOnly = browser.$('[data-testid="session-only"]');
  assert.equal(await sessionOnly.isSelected(), true);
  assert.equal(await sessionOnly.isEnabled(), false);
  await screenshot(browser, 'keyring-unavailable');
  await browser.$('button=Verify keys').click();
  await browser.$('[data-testid="identity-account"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('button=Save profile').click();
  await browser.$('p=Added Session only.').waitForExist({ timeout: UI_TIMEOUT_MS });
  const row = await browser.$$('[data-testid="profile-row"]')[1].getText();
  assert.match(row, /Session only[\s\S]*this session only/);

  for (const file of filesUnder(app.home)) {
    assert.equal(readFileSync(file, 'latin1').includes(secret), false, `${file} holds the secret`);
  }
});
