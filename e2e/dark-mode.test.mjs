// The OS's dark colour scheme (GTK's dark theme, which WebKitGTK reports as
// prefers-color-scheme: dark): the page turns dark, and production red and errors stay readable.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
let sandbox;
let session;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seed('hello-world', 'orders-api');
  session = await openApp(sandbox.url, { env: { GTK_THEME: 'Adwaita:dark' } });
});

after(async () => {
  await session?.close();
  sandbox?.remove();
});

/** WCAG's contrast ratio of two `rgb(...)` colours. */
function contrast(a, b) {
  const luminance = (rgb) => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('follows a dark colour scheme with readable text, errors and production red', { timeout: 120_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="function-name"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  const colours = await browser.execute(() => {
    const style = (el) => getComputedStyle(el);
    const probe = (variable) => {
      const span = document.createElement('span');
      span.style.color = `var(${variable})`;
      document.body.append(span);
      const colour = getComputedStyle(span).color;
      span.remove();
      return colour;
    };
    return {
      dark: matchMedia('(prefers-color-scheme: dark)').matches,
      background: style(document.body).backgroundColor || style(document.documentElement).backgroundColor,
      root: style(document.documentElement).backgroundColor,
      text: style(document.documentElement).color,
      danger: probe('--danger'),
      dangerBg: probe('--danger-bg'),
      surface: probe('--surface'),
      production: probe('--production'),
      headerBg: probe('--header-bg'),
    };
  });
  assert.equal(colours.dark, true, 'WebKit reports the dark scheme');
  const luminance = colours.root.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
  assert.ok(luminance < 60, `the page is dark: ${colours.root}`);
  assert.ok(contrast(colours.text, colours.root) >= 7, `text on the page: ${colours.text} on ${colours.root}`);
  assert.ok(contrast(colours.danger, colours.dangerBg) >= 4.5, `errors: ${colours.danger} on ${colours.dangerBg}`);
  assert.ok(contrast(colours.danger, colours.surface) >= 4.5, `errors on a panel: ${colours.danger} on ${colours.surface}`);
  assert.ok(contrast(colours.production, colours.headerBg) >= 3, `production red by the header: ${colours.production} on ${colours.headerBg}`);
  await screenshot(browser, 'function-list-dark');
});
