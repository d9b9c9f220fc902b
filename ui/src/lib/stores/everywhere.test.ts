import { describe, expect, it } from 'vitest';
import type { AppError, RegionFunctions } from '$lib/ipc';
import { functionSummary } from '$lib/testing';
import { EverywhereLoader, regionOfArn } from './everywhere.svelte';

function listed(profileId: string, region: string, ...names: string[]): RegionFunctions {
  return {
    region,
    error: null,
    list: {
      context: { profileId, region, accountId: '123456789012' },
      functions: names.map((name) => functionSummary(name, region)),
    },
  };
}

const notEnabled: AppError = { kind: 'AccessDenied', message: 'The security token is not valid in ap-east-1.', hint: null, field: null };

describe('EverywhereLoader', () => {
  it('shows each region as it is done, by name then region, with the ones that failed', async () => {
    let finish: (all: RegionFunctions[]) => void = () => {};
    let tell: (region: RegionFunctions) => void = () => {};
    const loader = new EverywhereLoader((_profileId, onRegion) => {
      tell = onRegion;
      return new Promise((resolve) => (finish = resolve));
    });
    const loading = loader.load('sandbox');
    expect(loader.loading).toBe(true);
    const west = listed('sandbox', 'eu-west-1', 'orders', 'api');
    tell(west);
    expect(loader.functions.map((fn) => fn.name)).toEqual(['api', 'orders']);
    const east = listed('sandbox', 'us-east-1', 'orders');
    const failed: RegionFunctions = { region: 'ap-east-1', list: null, error: notEnabled };
    tell(east);
    tell(failed);
    expect(loader.functions.map((fn) => `${fn.name}@${regionOfArn(fn.arn)}`)).toEqual([
      'api@eu-west-1',
      'orders@eu-west-1',
      'orders@us-east-1',
    ]);
    expect(loader.failed).toEqual([failed]);
    finish([failed, west, east]);
    await loading;
    expect(loader.loading).toBe(false);
    expect(loader.regions.map((r) => r.region)).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
  });

  it('drops the regions of a profile the user has left', async () => {
    const tells: ((region: RegionFunctions) => void)[] = [];
    const finishes: ((all: RegionFunctions[]) => void)[] = [];
    const loader = new EverywhereLoader((_profileId, onRegion) => {
      tells.push(onRegion);
      return new Promise((resolve) => finishes.push(resolve));
    });
    const first = loader.load('work');
    const second = loader.load('sandbox');
    tells[0]!(listed('work', 'eu-west-1', 'payroll'));
    finishes[0]!([listed('work', 'eu-west-1', 'payroll')]);
    await first;
    expect(loader.functions).toEqual([]);
    expect(loader.loading).toBe(true);
    finishes[1]!([listed('sandbox', 'us-east-1', 'hello')]);
    await second;
    expect(loader.functions.map((fn) => fn.name)).toEqual(['hello']);
    expect(loader.profileId).toBe('sandbox');
  });

  it('lists a region once when its message arrives after the answer', async () => {
    let tell: (region: RegionFunctions) => void = () => {};
    const west = listed('sandbox', 'eu-west-1', 'orders');
    const loader = new EverywhereLoader(async (_profileId, onRegion) => {
      tell = onRegion;
      return [west];
    });
    await loader.load('sandbox');
    tell(west);
    expect(loader.regions.map((r) => r.region)).toEqual(['eu-west-1']);
    expect(loader.functions.map((fn) => fn.name)).toEqual(['orders']);
  });
});
