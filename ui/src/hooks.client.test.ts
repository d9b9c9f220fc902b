import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FunctionListLoader } from '$lib/stores/functionList.svelte';
import { session } from '$lib/stores/session.svelte';
import { functionSummary, overviewOf, regions, resetSession, sandbox } from '$lib/testing';
import { init } from './hooks.client';

beforeEach(() => resetSession());
afterEach(() => clearMocks());

it("asks for the profiles, the regions and then the selection's functions as the app starts", async () => {
  const asked: string[] = [];
  mockIPC((cmd) => {
    asked.push(cmd);
    if (cmd === 'list_profiles') return overviewOf([sandbox]);
    if (cmd === 'list_regions') return regions;
    if (cmd === 'list_functions') {
      return {
        context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
        functions: [functionSummary('alpha', 'us-east-1')],
      };
    }
    throw `unexpected command ${cmd}`;
  });
  await init();
  await expect.poll(() => asked).toContain('list_functions');
  expect(asked.slice(0, 2).sort()).toEqual(['list_profiles', 'list_regions']);
  expect(session.selection).toEqual({ profileId: 'sandbox', region: 'us-east-1' });
  // The list page's first load takes that answer instead of asking again.
  const loader = new FunctionListLoader();
  await loader.load('sandbox', 'us-east-1');
  expect(loader.state).toMatchObject({ status: 'loaded', list: { functions: [{ name: 'alpha' }] } });
  expect(asked.filter((cmd) => cmd === 'list_functions')).toHaveLength(1);
});
