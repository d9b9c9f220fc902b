import { describe, expect, it } from 'vitest';
import type { Blueprint, PackageInfo } from '$lib/ipc';
import { Wizard, idList } from './wizard.svelte';

const packageOf = (zippedBytes: number): PackageInfo => ({
  source: 'source-1',
  path: '/tmp/code.zip',
  isFolder: false,
  zippedBytes,
  unzippedBytes: zippedBytes,
  files: ['app.py'],
  fileCount: 1,
  needsS3: zippedBytes > 50 * 1024 * 1024,
  warnings: [],
});

const blueprint: Blueprint = {
  id: 'hello-world-python',
  name: 'Hello world (Python)',
  description: 'Prints key1 to key3.',
  runtime: 'python3.13',
  handler: 'lambda_function.lambda_handler',
  tags: [],
  policyTemplates: ['basic'],
  trigger: null,
  files: [],
  sampleEvent: '{}',
};

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
    expect(wizard.draft.code).toEqual({ kind: 'upload', source: 'source-1' });
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

  it('keeps no description a blueprint filled in once the code comes from elsewhere', () => {
    for (const mode of ['s3', 'upload', 'scratch'] as const) {
      const wizard = new Wizard();
      wizard.useBlueprint(blueprint);
      expect(wizard.draft.description).toBe('Prints key1 to key3.');
      wizard.codeMode = mode;
      expect(wizard.draft.description, mode).toBe('');
    }
    const typed = new Wizard();
    typed.useBlueprint(blueprint);
    typed.description = 'my own words';
    typed.codeMode = 's3';
    expect(typed.draft.description).toBe('my own words');
  });

  it('clears the role and bucket chosen for another account after a switch, and says so', () => {
    const wizard = new Wizard();
    wizard.contextChanged({ profileId: 'sandbox', region: 'us-east-1' });
    wizard.roleMode = 'existing';
    wizard.existingRoleArn = 'arn:aws:iam::111111111111:role/old';
    wizard.usePackage(packageOf(60 * 1024 * 1024));
    wizard.createStagingBucket = false;
    wizard.stagingBucket = 'old-account-bucket';
    wizard.contextChanged({ profileId: 'sandbox', region: 'us-east-1' });
    expect(wizard.existingRoleArn).not.toBe('');
    wizard.contextChanged({ profileId: 'p-work', region: 'eu-west-1' });
    expect(wizard.existingRoleArn).toBe('');
    expect(wizard.stagingBucket).toBe('');
    expect(wizard.notice).toContain('the role, the staging bucket');
  });

  it('starts empty again after a reset', () => {
    const wizard = new Wizard();
    wizard.name = 'hello';
    wizard.useBlueprint(blueprint);
    wizard.environment = [{ key: 'A', value: 'b' }];
    wizard.page = 'review';
    wizard.resetDraft();
    expect(wizard.draft).toEqual(new Wizard().draft);
    expect(wizard.page).toBe('start');
  });
});
