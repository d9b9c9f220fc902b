// `make bench`: the log explorer with 100,000 lines in the real window. A sandbox gets 25,000
// invocations' lines (START, a line, END, REPORT) in one group; the app opens the group from the
// Logs page, filters it, and scrolls it. Prints the time to first paint, the time per filter and
// the frames per second while scrolling, and writes them to target/bench/log-explorer.json.
// A benchmark, not a test: it reports figures and fails only when the journey cannot run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox, openApp, root } from '../support.mjs';
import { SCROLL_SPEEDS, countFrames } from './frames.mjs';

const RUNS = 25_000;
const LINES = RUNS * 4;
const GROUP = '/aws/lambda/bench';
const SCROLL_MS = 5_000;
// A log row is 22 px high: the fast speed scrolls ten rows a frame, the flick two.
const ROW_HEIGHT_PX = 22;
const LIST = '[data-testid="log-lines"]';
// Right after 100,000 lines arrive the engine is still collecting what the load left behind; the
// later runs of the scroll come after this pause.
const SETTLE_MS = 5_000;
const WAIT_MS = 180_000;
const FILTERS = ['ERROR', '"Received GET"', ''];

const sandbox = new Sandbox();
let session;
try {
  sandbox.start();
  execFileSync(path.join(root, '.venv/bin/python'), [path.join(root, 'scripts/sandbox.py'), 'seed-logs', '--url', sandbox.url, '--group', GROUP, '--runs', String(RUNS)], { stdio: 'ignore' });
  session = await openApp(sandbox.url);
  const { browser } = session;
  await browser.$('[data-testid="nav-logs"]').waitForExist({ timeout: WAIT_MS });
  await browser.$('[data-testid="nav-logs"]').click();
  await browser.$('[data-testid="group-prefix"]').setValue(GROUP);
  await browser.keys('Enter');
  await browser.$(`[data-testid="log-group"]=${GROUP}`).waitForExist({ timeout: WAIT_MS });

  // From the click on the group to the frame that shows its first rows, measured in the page.
  await browser.execute((group) => {
    window.benchFirstPaintMs = null;
    const started = performance.now();
    const watcher = new MutationObserver(() => {
      const status = document.querySelector('[data-testid="log-status"]')?.textContent?.trim() ?? '';
      if (!/^100\D?000 lines/.test(status) || !document.querySelector('[data-testid="log-run"]')) return;
      watcher.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (window.benchFirstPaintMs = performance.now() - started)));
    });
    watcher.observe(document.body, { subtree: true, childList: true, characterData: true });
    [...document.querySelectorAll('[data-testid="log-group"]')].find((button) => button.textContent === group)?.click();
  }, GROUP);
  await browser.waitUntil(() => browser.execute(() => window.benchFirstPaintMs !== null), { timeout: WAIT_MS, interval: 100 });
  const firstPaintMs = await browser.execute(() => window.benchFirstPaintMs);

  // Each filter: from Search to the frame that shows its lines (FilterLogEvents in the sandbox,
  // the IPC, the grouping and the drawing).
  const filters = [];
  for (const pattern of FILTERS) {
    const measured = await browser.execute((pattern) => {
      const input = document.querySelector('[data-testid="log-pattern"]');
      const search = document.querySelector('[data-testid="log-search"]');
      input.value = pattern;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return new Promise((resolve) => {
        const started = performance.now();
        let searching = false;
        const watcher = new MutationObserver(() => {
          if (search.textContent.includes('Searching')) searching = true;
          else if (searching) {
            watcher.disconnect();
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const status = document.querySelector('[data-testid="log-status"]').textContent.trim();
                resolve({ pattern, ms: performance.now() - started, lines: Number(status.match(/^([\d\D]*?) lines?/)?.[1].replace(/\D/g, '')) });
              }),
            );
          }
        });
        watcher.observe(search, { subtree: true, childList: true, characterData: true });
        search.click();
      });
    }, pattern);
    filters.push(measured);
  }

  // Frames while the list scrolls for five seconds: right after the last filter brought the
  // 100,000 lines back, and at both speeds once the page has settled.
  const scroll = async (stepPx) => {
    const frames = await browser.execute(countFrames, { selector: LIST, scroll: { stepPx, durationMs: SCROLL_MS } });
    const drawn = await browser.execute((selector, rowHeight) => {
      const list = document.querySelector(selector);
      return { rowsScrolled: Math.round(list.scrollTop / rowHeight), drawnRows: list.querySelectorAll('.row').length };
    }, LIST, ROW_HEIGHT_PX);
    return { ...frames, ...drawn };
  };
  const scrolling = [['10 rows a frame, just after the load', await scroll(SCROLL_SPEEDS.fast)]];
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  scrolling.push([`10 rows a frame, ${SETTLE_MS / 1000} s later`, await scroll(SCROLL_SPEEDS.fast)]);
  scrolling.push([`2 rows a frame, ${SETTLE_MS / 1000} s later`, await scroll(SCROLL_SPEEDS.flick)]);

  const report = { lines: LINES, firstPaintMs, filters, scrolling: Object.fromEntries(scrolling), app: process.env.LAMBDESK_APP ?? 'target/debug/lambdesk' };
  const folder = path.join(root, 'target/bench');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'log-explorer.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(folder, 'log-explorer.png'), Buffer.from(await browser.takeScreenshot(), 'base64'));
  console.log(`log explorer, ${LINES.toLocaleString('en')} lines (${report.app}):`);
  console.log(`  first paint: ${Math.round(firstPaintMs)} ms`);
  for (const filter of filters) console.log(`  filter ${JSON.stringify(filter.pattern)}: ${Math.round(filter.ms)} ms, ${filter.lines.toLocaleString('en')} lines`);
  for (const [how, figures] of scrolling) {
    console.log(`  scrolling ${how}: ${figures.fps.toFixed(1)} frames/s, worst frame ${Math.round(figures.worstFrameMs)} ms, ${figures.rowsScrolled.toLocaleString('en')} rows in ${SCROLL_MS / 1000} s, ${figures.drawnRows} rows drawn`);
  }
} finally {
  await session?.close();
  sandbox.remove();
}
