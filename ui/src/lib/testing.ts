// Fixtures, resets and the faked backend shared by the UI tests.
import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { cleanup } from '@testing-library/svelte';
import { afterEach, beforeEach } from 'vitest';
import type { FunctionSummary, ProfilesOverview, ProfileView, RegionInfo } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';

export const sandbox: ProfileView = {
  id: 'sandbox',
  name: 'Local sandbox',
  kind: 'Sandbox',
  defaultRegion: 'us-east-1',
  production: false,
  endpointUrl: 'http://127.0.0.1:4566',
  maskedKeyId: null,
  keyStorage: null,
  keysAvailable: true,
  sharedProfile: null,
  sharedKind: null,
};

export const work: ProfileView = {
  ...sandbox,
  id: 'p-work',
  name: 'Work',
  kind: 'Keys',
  defaultRegion: 'eu-west-1',
  production: true,
  endpointUrl: null,
  maskedKeyId: 'AKIA…MPLE',
  keyStorage: 'Keyring',
};

export const regions: RegionInfo[] = [
  { code: 'us-east-1', name: 'US East (N. Virginia)' },
  { code: 'us-west-2', name: 'US West (Oregon)' },
  { code: 'eu-west-1', name: 'Europe (Ireland)' },
];

export function overviewOf(profiles: ProfileView[], selected: ProfileView = profiles[0] ?? sandbox): ProfilesOverview {
  return { profiles, selection: { profileId: selected.id, region: selected.defaultRegion }, problem: null };
}

/** The session is the app's one shared store: each test starts from an empty one. */
export function resetSession(): void {
  session.profiles = [];
  session.regions = [];
  session.selection = null;
  session.problem = null;
  session.loadError = null;
  session.keyring = null;
  session.rememberError = null;
  session.accounts = {};
}

/**
 * Registers, for every test of the calling file, an empty session and a main window to start
 * from, and after it the component unmounted before the mocks go (a page that stops listening
 * for dropped files on unmount needs the mocked event plugin).
 */
export function isolateEachTest(): void {
  beforeEach(() => {
    resetSession();
    mockWindows('main');
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });
}

/** How a test answers the commands its component calls. */
export type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

/**
 * Fakes the backend on the sandbox profile: the session's own commands (profiles, regions) are
 * answered here, every other by `handle`; then loads the session, as the layout does at launch.
 */
export async function sandboxBackend(handle: Handler, options: { shouldMockEvents?: boolean } = {}): Promise<void> {
  mockIPC((cmd, args) => {
    if (cmd === 'list_profiles') return overviewOf([sandbox]);
    if (cmd === 'list_regions') return regions;
    return handle(cmd, (args ?? {}) as Record<string, unknown>);
  }, options);
  await session.load();
}

/** A Python function of the sandbox account, as ListFunctions lists it. */
export function functionSummary(name: string, region = 'us-east-1', lastModified: string | null = null): FunctionSummary {
  return {
    name,
    arn: `arn:aws:lambda:${region}:123456789012:function:${name}`,
    runtime: 'python3.12',
    memoryMb: 128,
    lastModified,
    description: null,
  };
}
