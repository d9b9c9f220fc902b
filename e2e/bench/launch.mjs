// `make bench`: Lambdesk against a bare Tauri 2 app (bench/bare-app: one window, a Svelte page,
// the same Tauri and release profile). Each is launched through tauri-driver, taking turns over
// seven rounds: the time from the launch to the first frame with content (Lambdesk: its list of
// 1,000 functions from a sandbox, the rows in view drawn), read from the page's own paint mark;
// then the PSS of the app with its WebKit processes; then, in Lambdesk, the frames per second while
// its 1,000 rows scroll at two speeds and while a filter is typed and erased four times, against
// the frames per second the bare app's window gives scrolling an empty page as tall at the same
// speeds, and idle while Lambdesk filters (the ceiling of this machine's software rendering); last,
// Lambdesk's list drawn again in its page reloaded, to set its first layout apart.
// Writes target/bench/launch.json.
import { mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox, openApp, processes, root, withDescendants } from '../support.mjs';
import { SCROLL_SPEEDS, countFrames } from './frames.mjs';

// Launch times spread widely on a shared machine (one run in five can take three times as long):
// more rounds than the five the issue asks keep one slow launch from moving the median.
const ROUNDS = 7;
const FUNCTIONS = 1_000;
const PAINT_TIMEOUT_MS = 120_000;
// Memory is read once the launch has settled: the list loaded, the engine's first collections done.
const SETTLE_MS = 5_000;
const SCROLL_MS = 5_000;
// Typed one key a frame, then erased the same way: each frame filters the 1,000 rows again. One
// pass is ten frames, too few for a steady rate, so the count runs over several.
const FILTER_KEYS = 'fn-09';
const FILTER_PASSES = 4;
// Scrolling the list back to its top redraws every row, and puts the rows back in order 150 ms
// later (see RowOrder): that is the scroll's work, which the filter's frames must not count.
const SCROLLED_BACK_SETTLE_MS = 500;
const APPS = {
  lambdesk: realpathSync(path.join(root, 'target/release/lambdesk')),
  bare: realpathSync(path.join(root, 'target/release/lambdesk-bare')),
};
// On a machine without a GPU render node Lambdesk draws without WebKit's accelerated compositing
// (src-tauri/src/rendering.rs). The bare app keeps Tauri's default, and is launched a second time
// drawing as Lambdesk does (WebKit's own switch for it), so that setting's gain shows apart.
const NO_GPU = !readdirSafely('/dev/dri').some((name) => name.startsWith('renderD'));
const LAUNCHES = {
  lambdesk: { application: APPS.lambdesk, env: {} },
  bare: { application: APPS.bare, env: {} },
  ...(NO_GPU ? { bareSoftware: { application: APPS.bare, env: { WEBKIT_DISABLE_COMPOSITING_MODE: '1' } } } : {}),
};
const BASELINES = {
  bare: 'a bare Tauri 2 app with a Svelte page (bench/bare-app)',
  bareSoftware: 'the same bare app drawing as Lambdesk does here, without accelerated compositing',
};

function readdirSafely(folder) {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function samples(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), runs: sorted.length };
}

/** The newest process running `binary`, and every process under it. */
function processTree(binary) {
  const running = processes();
  const app = running.filter(({ pid }) => exeOf(pid) === binary).sort((a, b) => b.started - a.started)[0];
  if (!app) throw new Error(`no process runs ${binary}`);
  return withDescendants(running, [app.pid]).map(({ pid }) => pid);
}

/** The binary the process runs; null for another user's process, or one that is gone. */
function exeOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

function pssMiB(pids) {
  let kib = 0;
  for (const pid of pids) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    kib += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  }
  return kib / 1024;
}

/**
 * Frames per second while the document scrolls for `SCROLL_MS` at each speed, then, once it is
 * back at the top and settled, while `FILTER_KEYS` are typed into the function filter and erased,
 * one key a frame, `FILTER_PASSES` times. The bare app's page is as tall as the list but empty,
 * and has no filter: its figures are the window scrolling nothing, then idle.
 */
async function measureFrames(browser) {
  const measured = {};
  for (const [speed, stepPx] of Object.entries(SCROLL_SPEEDS)) {
    const scrolling = await browser.execute(countFrames, { selector: null, scroll: { stepPx, durationMs: SCROLL_MS } });
    measured[`${speed}Fps`] = scrolling.fps;
    measured[`${speed}WorstMs`] = scrolling.worstFrameMs;
  }
  await browser.execute(() => {
    document.scrollingElement.scrollTop = 0;
  });
  await new Promise((resolve) => setTimeout(resolve, SCROLLED_BACK_SETTLE_MS));
  const typed = [...FILTER_KEYS].map((_, index) => FILTER_KEYS.slice(0, index + 1));
  const pass = [...typed, ...typed.slice(0, -1).reverse(), ''];
  const values = Array.from({ length: FILTER_PASSES }, () => pass).flat();
  const filtering = await browser.execute(countFrames, { selector: 'input[type="search"]', values });
  return { ...measured, filterFps: filtering.fps, filterWorstMs: filtering.worstFrameMs };
}

/**
 * The list's answer to its drawing once more, in a page reloaded in the same web process: the same
 * rows built and laid out, by a process that has laid out a page before.
 */
async function answerToDrawnAfterReload(browser) {
  const before = await browser.execute(() => {
    setTimeout(() => location.reload(), 0);
    return performance.timeOrigin;
  });
  await browser.waitUntil(
    () => browser.execute((origin) => performance.timeOrigin !== origin && performance.getEntriesByName('first-content-painted').length > 0, before),
    { timeout: PAINT_TIMEOUT_MS, interval: 25, timeoutMsg: 'the reloaded list never marked its first content painted' },
  );
  return browser.execute(() => performance.getEntriesByName('functions-drawn')[0].startTime - performance.getEntriesByName('functions-answered')[0].startTime);
}

async function launch(name, sandboxUrl) {
  const { application, env } = LAUNCHES[name];
  const session = await openApp(sandboxUrl, { application, env });
  try {
    const { browser } = session;
    await browser.waitUntil(
      () => browser.execute(() => performance.getEntriesByName('first-content-painted').length > 0),
      { timeout: PAINT_TIMEOUT_MS, interval: 25, timeoutMsg: `${name} never marked its first content painted` },
    );
    // Lambdesk's page also marks when it asked for the list, when the answer came and when it drew
    // it; the bare page has none of them, so its whole time after the page started counts as
    // drawing.
    const { pageStartedAt, pageToPaintMs, requestedMs, answeredMs, drawnMs } = await browser.execute(() => {
      const at = (mark) => performance.getEntriesByName(mark)[0]?.startTime ?? null;
      return {
        pageStartedAt: performance.timeOrigin,
        pageToPaintMs: at('first-content-painted'),
        requestedMs: at('functions-requested'),
        answeredMs: at('functions-answered'),
        drawnMs: at('functions-drawn'),
      };
    });
    if (name === 'lambdesk') {
      const listed = await browser.$('[data-testid="list-context"]').getText();
      if (!listed.startsWith(`${FUNCTIONS} in `)) throw new Error(`Lambdesk listed "${listed}", not ${FUNCTIONS} functions`);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const pss = pssMiB(processTree(application));
    const frames = await measureFrames(browser);
    const relaidOutMs = name === 'lambdesk' ? await answerToDrawnAfterReload(browser) : 0;
    const toPage = pageStartedAt - session.launchedAt;
    const split = {
      pageToRequestMs: requestedMs ?? 0,
      requestToAnswerMs: answeredMs === null ? 0 : answeredMs - requestedMs,
      answerToDrawnMs: drawnMs === null ? 0 : drawnMs - answeredMs,
      drawnToPaintMs: pageToPaintMs - (drawnMs ?? requestedMs ?? 0),
    };
    return { launchMs: toPage + pageToPaintMs, toPageMs: toPage, pageToPaintMs, ...split, relaidOutMs, pss, ...frames };
  } finally {
    await session.close();
  }
}

const sandbox = new Sandbox();
try {
  sandbox.start();
  sandbox.seed(...Array.from({ length: FUNCTIONS }, (_, index) => `fn-${String(index).padStart(4, '0')}`));
  const frameKeys = ['fastFps', 'fastWorstMs', 'flickFps', 'flickWorstMs', 'filterFps', 'filterWorstMs'];
  const keys = ['launchMs', 'toPageMs', 'pageToPaintMs', 'pageToRequestMs', 'requestToAnswerMs', 'answerToDrawnMs', 'drawnToPaintMs', 'relaidOutMs', 'pss', ...frameKeys];
  const names = Object.keys(LAUNCHES);
  const measured = Object.fromEntries(names.map((name) => [name, Object.fromEntries(keys.map((key) => [key, []]))]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each takes every place in the order in turn.
    const order = names.map((_, index) => names[(index + round) % names.length]);
    for (const name of order) {
      const run = await launch(name, sandbox.url);
      for (const key of keys) measured[name][key].push(run[key]);
    }
  }
  const figure = (name, unit, key, goal, baseline = 'bare') => {
    const ours = samples(measured.lambdesk[key]);
    const theirs = samples(measured[baseline][key]);
    return { figure: name, unit, lambdesk: ours, baseline: { name: BASELINES[baseline], samples: theirs }, ratio: ours.median / theirs.median, goal };
  };
  const launchFigure = 'Launch to the first frame with content (Lambdesk: the list of 1,000 functions, the rows in view drawn)';
  const memoryFigure = 'Memory (PSS) of the app and its WebKit processes, 1,000 functions listed';
  const figures = [
    figure(launchFigure, 'ms', 'launchMs', 1.4),
    figure(memoryFigure, 'MiB', 'pss', 1.15),
    ...(NO_GPU ? [figure(launchFigure, 'ms', 'launchMs', null, 'bareSoftware'), figure(memoryFigure, 'MiB', 'pss', null, 'bareSoftware')] : []),
  ];
  // Frame rates have a fixed goal (60 frames per second) rather than a ratio; the bare windows'
  // rates beside them, scrolling an empty page or idle, are the most this machine's rendering gives.
  const frames = Object.fromEntries(
    frameKeys.map((key) => [key, Object.fromEntries(names.map((name) => [name, samples(measured[name][key])]))]),
  );
  const median = (name, key) => samples(measured[name][key]).median.toFixed(0);
  const notes = [
    `Where launch goes, medians: from the launch request to the page starting (the process, its window, WebKit's processes, the page's request), Lambdesk ${median('lambdesk', 'toPageMs')} ms and the bare app ${median('bare', 'toPageMs')} ms; from the page starting to its first frame with content, Lambdesk ${median('lambdesk', 'pageToPaintMs')} ms and the bare app ${median('bare', 'pageToPaintMs')} ms. Lambdesk's part splits by its page's marks into ${median('lambdesk', 'pageToRequestMs')} ms to the list page asking for its list (SvelteKit's start and the page's mount; the profiles, the regions and then that list were asked for as the app's code started, so the page takes an answer already on its way), ${median('lambdesk', 'requestToAnswerMs')} ms to its answer in the page (the 1,000 functions crossing to the page, after whatever is left of their listing, which the app starts on the Local sandbox as the page starts loading), ${median('lambdesk', 'answerToDrawnMs')} ms to the list drawn (the rows in view built, then the page's first layout; the same in the page reloaded in that web process, which has laid out a page before, takes ${median('lambdesk', 'relaidOutMs')} ms) and ${median('lambdesk', 'drawnToPaintMs')} ms to the frame after (two animation frames).`,
    'The 60 frames per second the issue asks of scrolling and filtering are read against the bare window: under Xvfb, WebKitGTK draws in software, and the bare app scrolling an empty page as tall as the list at the same speeds (idle, for filtering) is the most this machine gives.',
    `Filtering is counted ${SCROLLED_BACK_SETTLE_MS} ms after the list is scrolled back to its top, over ${FILTER_PASSES} passes of typing and erasing: the scroll back redraws every row, and puts the rows back in order 150 ms later, which is the scroll's cost rather than the filter's.`,
    ...(NO_GPU
      ? [`This machine has no GPU render node (/dev/dri), so Lambdesk draws its window without WebKit's accelerated compositing, which would run on Mesa's software OpenGL (src-tauri/src/rendering.rs); the bare app keeps Tauri's default. Launched drawing the same way (WEBKIT_DISABLE_COMPOSITING_MODE=1), the bare app takes ${median('bareSoftware', 'toPageMs')} ms to the page starting and ${median('bareSoftware', 'pageToPaintMs')} ms from there to its first frame, and its processes ${median('bareSoftware', 'pss')} MiB: the rows against that baseline give Lambdesk's cost with the setting's gain taken out. Drawn this way, WebKit here does not hold the page's animation frames to 60 a second, so a rate can pass 60; the longest frame stands beside each.`]
      : []),
    'Launch is timed from the WebDriver session request that starts the app to the page\'s own `first-content-painted` mark (two animation frames after the content is in the page); both apps pay the same WebKitWebDriver start.',
  ];
  const folder = path.join(root, 'target/bench');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'launch.json'), `${JSON.stringify({ bench: 'launch', figures, frames, scrollSpeeds: SCROLL_SPEEDS, filterKeys: FILTER_KEYS, filterPasses: FILTER_PASSES, notes }, null, 2)}\n`);
  for (const { figure: name, unit, lambdesk, baseline, ratio, goal } of figures) {
    console.log(`${name}:`);
    console.log(`  Lambdesk: median ${lambdesk.median.toFixed(0)} ${unit} (range ${lambdesk.min.toFixed(0)} to ${lambdesk.max.toFixed(0)})`);
    console.log(`  bare app: median ${baseline.samples.median.toFixed(0)} ${unit} (range ${baseline.samples.min.toFixed(0)} to ${baseline.samples.max.toFixed(0)})`);
    console.log(`  ratio ${ratio.toFixed(2)}x (goal ${goal}x)`);
  }
  for (const [key, { lambdesk, bare }] of Object.entries(frames)) {
    console.log(`${key}: Lambdesk median ${lambdesk.median.toFixed(1)} (range ${lambdesk.min.toFixed(1)} to ${lambdesk.max.toFixed(1)}), bare app ${bare.median.toFixed(1)}`);
  }
} finally {
  sandbox.remove();
}
