// What every end-to-end journey needs: its own sandbox, an isolated home for the app, and the real
// app window opened through tauri-driver and WebKitWebDriver.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';

export const root = path.resolve(import.meta.dirname, '..');
const python = path.join(root, '.venv/bin/python');
const sandboxScript = path.join(root, 'scripts/sandbox.py');
const app = process.env.LAMBDESK_APP ?? path.join(root, 'target/debug/lambdesk');
const screenshots = path.join(root, 'target/e2e');
const DRIVER_READY_TIMEOUT_MS = 30_000;
const LEFTOVER_GRACE_MS = 3_000;
const LEFTOVER_EXIT_TIMEOUT_MS = 5_000;

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A moto server of the journey's own, started and stopped with the repo's script. */
export class Sandbox {
  constructor() {
    this.state = mkdtempSync(path.join(tmpdir(), 'lambdesk-e2e-sandbox-'));
    this.url = null;
  }

  start(port) {
    const args = ['start', '--state', this.state, ...(port ? ['--port', String(port)] : [])];
    this.url = execFileSync(python, [sandboxScript, ...args], { encoding: 'utf8' }).trim();
    return this.url;
  }

  get port() {
    return Number(new URL(this.url).port);
  }

  seed(...names) {
    execFileSync(python, [sandboxScript, 'seed', '--url', this.url, ...names], { stdio: 'ignore' });
  }

  /** Seeds functions in another region of the default account. */
  seedIn(region, ...names) {
    execFileSync(python, [sandboxScript, 'seed', '--url', this.url, '--region', region, ...names], { stdio: 'ignore' });
  }

  /** Seeds functions with a blueprint's code, runtime and handler. */
  seedBlueprint(blueprint, ...names) {
    const folder = path.join(root, 'src-tauri/crates/core/blueprints', blueprint);
    execFileSync(python, [sandboxScript, 'seed', '--url', this.url, '--blueprint', folder, ...names], { stdio: 'ignore' });
  }

  /** Seeds functions in another account and returns that account's keys. */
  seedAccount(account, region, ...names) {
    const output = execFileSync(
      python,
      [sandboxScript, 'seed', '--url', this.url, '--account', account, '--region', region, ...names],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return JSON.parse(output);
  }

  stop() {
    execFileSync(python, [sandboxScript, 'stop', '--state', this.state]);
  }

  remove() {
    this.stop();
    rmSync(this.state, { recursive: true, force: true });
  }
}

/**
 * The app in its window, pointed at `sandboxUrl`, with config and data in a fresh folder, or in
 * `home` to reopen an app closed with `close({ keepHome: true })`; `env` adds to its environment.
 * `application` runs another binary (the bench's bare app); `launchedAt` is when it was asked to
 * start, in epoch milliseconds.
 */
export async function openApp(
  sandboxUrl,
  { home = mkdtempSync(path.join(tmpdir(), 'lambdesk-e2e-home-')), env: extraEnv = {}, application = app } = {},
) {
  const port = await freePort();
  const nativePort = await freePort();
  const env = {
    ...process.env,
    LAMBDESK_SANDBOX_URL: sandboxUrl,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    // The shared AWS files of the journey's own, never the machine's.
    AWS_CONFIG_FILE: path.join(home, 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws', 'credentials'),
    // tauri-driver logs every refused /status probe while WebKitWebDriver starts; with backtraces
    // on, each of those fills a screen.
    RUST_LIB_BACKTRACE: '0',
    ...extraEnv,
  };
  const driver = spawn(
    process.env.TAURI_DRIVER ?? 'tauri-driver',
    ['--port', String(port), '--native-port', String(nativePort)],
    { env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const driverExit = new Promise((resolve) => driver.once('exit', resolve));
  await waitForDriver(port, driverExit);
  const launchedAt = Date.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    capabilities: { 'tauri:options': { application } },
  });
  return {
    browser,
    home,
    launchedAt,
    async close({ keepHome = false } = {}) {
      await browser.deleteSession().catch(() => {});
      driver.kill();
      await driverExit;
      const ended = await endLeftovers(env.XDG_DATA_HOME);
      if (!keepHome) rmSync(home, { recursive: true, force: true });
      return { ended };
    },
  };
}

/**
 * Ends every process still running with the journey's data folder, and their children, once they
 * have had a moment to exit by themselves: an app that outlives its WebDriver session keeps the
 * test runner's output open, and `node --test` then waits for it forever. Answers what it ended,
 * with each one's command line, so a journey can tell the app failed to stop a child of its own.
 */
async function endLeftovers(dataHome) {
  const graceEnds = Date.now() + LEFTOVER_GRACE_MS;
  let leftovers = processesOf(dataHome);
  while (leftovers.length > 0 && Date.now() < graceEnds) {
    await sleep(50);
    leftovers = processesOf(dataHome);
  }
  if (leftovers.length === 0) return [];
  const ended = leftovers.map(({ pid, command }) => ({ pid, command, commandLine: commandLineOf(pid) }));
  console.error(`e2e: ending what outlived the session: ${ended.map(({ pid, commandLine }) => `${commandLine} (${pid})`).join(', ')}`);
  for (const { pid } of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const killed = new Set(leftovers.map(({ pid }) => pid));
  const exitDeadline = Date.now() + LEFTOVER_EXIT_TIMEOUT_MS;
  while (processes().some(({ pid, state }) => killed.has(pid) && state !== 'Z') && Date.now() < exitDeadline) await sleep(50);
  return ended;
}

/** The live processes started with `dataHome` as their data folder, and all their children. */
function processesOf(dataHome) {
  const marker = `XDG_DATA_HOME=${dataHome}`;
  const running = processes().filter(({ state }) => state !== 'Z');
  return withDescendants(running, running.filter(({ pid }) => environOf(pid).includes(marker)).map(({ pid }) => pid));
}

/** The processes of `running` whose pid is one of `roots`, or whose parent is among them, however deep. */
export function withDescendants(running, roots) {
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { pid, parent } of running) {
      if (found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return running.filter(({ pid }) => found.has(pid));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every process with its parent, state, command name and start time (in clock ticks after boot), from /proc. */
export function processes() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // The name in parentheses may hold spaces and parentheses; the fields follow the last one.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return [{ pid: Number(name), parent: Number(fields[1]), state: fields[0], command, started: Number(fields[19]) }];
      } catch {
        return [];
      }
    });
}

/** The process's arguments joined by spaces; empty once it is gone. */
function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** The process's environment as `NAME=value` entries; none once it is gone. */
function environOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

async function waitForDriver(port, driverExit) {
  const deadline = Date.now() + DRIVER_READY_TIMEOUT_MS;
  let exited = false;
  driverExit.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      const body = await response.json();
      if (body?.value?.ready) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(exited ? 'tauri-driver exited before it was ready' : 'tauri-driver did not get ready in time');
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Saves the window as `target/e2e/NAME.png`. WebKitWebDriver takes it once the window has drawn its
 * next frame, and a window drawn without accelerated compositing (as on a machine with no GPU, see
 * src-tauri/src/rendering.rs) draws no frame while its page is still: so while the screenshot is
 * taken, one pixel in the corner changes its shade by a hundredth each frame.
 */
export async function screenshot(browser, name) {
  mkdirSync(screenshots, { recursive: true });
  const file = path.join(screenshots, `${name}.png`);
  await browser.execute(() => {
    const pixel = document.createElement('div');
    pixel.style.cssText = 'position: fixed; left: 0; top: 0; width: 1px; height: 1px; pointer-events: none; z-index: 2147483647';
    document.documentElement.append(pixel);
    let frame = 0;
    let drawing = true;
    const draw = () => {
      if (!drawing) return;
      frame += 1;
      pixel.style.background = `rgba(0, 0, 0, ${frame % 2 ? 0.01 : 0.02})`;
      requestAnimationFrame(draw);
    };
    requestAnimationFrame(draw);
    window.__e2eStopDrawing = () => {
      drawing = false;
      pixel.remove();
    };
  });
  try {
    writeFileSync(file, Buffer.from(await browser.takeScreenshot(), 'base64'));
  } finally {
    await browser.execute(() => window.__e2eStopDrawing?.());
  }
  return file;
}
