import { describe, expect, it } from 'vitest';
import type { FunctionSettings } from '$lib/ipc';
import { changedFields, formOf, settingsOf } from './configuration';

const loaded: FunctionSettings = {
  description: 'Says hello',
  runtime: 'python3.13',
  handler: 'lambda_function.lambda_handler',
  architecture: 'x86_64',
  memoryMb: 128,
  timeoutSeconds: 3,
  ephemeralMb: 512,
  environment: [{ key: 'STAGE', value: 'dev' }],
  tags: [],
  roleArn: 'arn:aws:iam::123456789012:role/hello-role',
  deadLetterArn: null,
  subnetIds: ['subnet-0123abcd'],
  securityGroupIds: ['sg-0123abcd'],
};

describe('the configuration form', () => {
  it('gives back exactly what it was loaded with', () => {
    expect(settingsOf(formOf(loaded))).toEqual(loaded);
    expect(changedFields(loaded, formOf(loaded))).toEqual([]);
  });

  it('names each changed field, and the VPC once for either id list', () => {
    const form = formOf(loaded);
    form.memoryMb = 256;
    form.environment.push({ key: 'GREETING', value: 'hi' });
    form.securityGroupIds = 'sg-0123abcd, sg-4567abcd';
    form.deadLetterArn = 'arn:aws:sqs:us-east-1:123456789012:dlq';
    expect(changedFields(loaded, form)).toEqual(['memoryMb', 'environment', 'deadLetterArn', 'vpc']);
    expect(settingsOf(form).securityGroupIds).toEqual(['sg-0123abcd', 'sg-4567abcd']);
  });

  it('does not count blank rows, surrounding spaces or editing the loaded copy as changes', () => {
    const form = formOf(loaded);
    form.tags.push({ key: ' ', value: '' });
    form.handler = ' lambda_function.lambda_handler ';
    form.environment[0]!.value = 'prod';
    expect(loaded.environment[0]!.value).toBe('dev');
    expect(changedFields(loaded, form)).toEqual(['environment']);
  });

  it('turns an emptied dead-letter target into none', () => {
    const form = formOf({ ...loaded, deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' });
    form.deadLetterArn = '  ';
    expect(settingsOf(form).deadLetterArn).toBeNull();
  });
});
