import { describe, expect, it } from 'vitest';
import type { PackageInfo } from '$lib/ipc';
import { Wizard, idList } from './wizard.svelte';

const packageOf = (zippedBytes: number): PackageInfo => ({
  path: '/tmp/code.zip',
  sourceFolder: null,
  zippedBytes,
  unzippedBytes: zippedBytes,
  files: ['app.py'],
  fileCount: 1,
  needsS3: zippedBytes > 50 * 1024 * 1024,
});

describe('the wizard draft', () => {
  it('stages only a package too large for the request', () => {
    const wizard = new Wizard();
    wizard.usePackage(packageOf(60 * 1024 * 1024));
    wizard.stagingBucket = 'my-builds';
    expect(wizard.draft.staging).toEqual({ bucket: 'my-builds', create: true });
    wizard.createStagingBucket = false;
    expect(wizard.draft.staging).toEqual({ bucket: 'my-builds', create: false });
    wizard.usePackage(packageOf(1024));
    expect(wizard.draft.staging).toBeNull();
    expect(wizard.draft.code).toEqual({ kind: 'zip', path: '/tmp/code.zip' });
  });

  it('derives the role name from the function until the user types one', () => {
    const wizard = new Wizard();
    wizard.name = 'orders';
    expect(wizard.draft.role).toMatchObject({ kind: 'new', name: 'orders-role' });
    wizard.roleNameEdited = true;
    wizard.newRoleName = 'shared-role';
    wizard.name = 'billing';
    expect(wizard.draft.role).toMatchObject({ kind: 'new', name: 'shared-role' });
  });

  it('reads VPC ids typed on lines or with commas, and drops empty pairs', () => {
    expect(idList('subnet-1, subnet-2\n\nsubnet-3 ')).toEqual(['subnet-1', 'subnet-2', 'subnet-3']);
    const wizard = new Wizard();
    wizard.environment = [{ key: 'A1', value: 'x' }, { key: '', value: '' }];
    expect(wizard.draft.environment).toEqual([{ key: 'A1', value: 'x' }]);
  });
});
