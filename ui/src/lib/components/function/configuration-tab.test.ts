import type { Channel } from '@tauri-apps/api/core';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ChangeReview, FunctionDetails, FunctionSettings, PlanEvent, PlanOutcome, RuntimeTable } from '$lib/ipc';
import { type Handler, isolateEachTest, sandboxBackend } from '$lib/testing';
import ConfigurationTab from './ConfigurationTab.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };
const under = { profileId: 'sandbox', region: 'us-east-1' };

const settings: FunctionSettings = {
  description: '',
  runtime: 'python3.13',
  handler: 'lambda_function.lambda_handler',
  architecture: 'x86_64',
  memoryMb: 128,
  timeoutSeconds: 3,
  ephemeralMb: 512,
  environment: [],
  tags: [],
  roleArn: 'arn:aws:iam::123456789012:role/hello-role',
  deadLetterArn: null,
  subnetIds: [],
  securityGroupIds: [],
};

const details: FunctionDetails = {
  context,
  name: 'hello',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
  settings,
  codeSha256: 'abc=',
  codeSizeBytes: 300,
  lastModified: null,
  state: 'Active',
  isImage: false,
};

const runtimes: RuntimeTable = {
  offered: [{ id: 'python3.13', name: 'Python 3.13', language: 'python', deprecated: '2029-06-30', blockCreate: '2029-07-31' }],
  deprecated: [],
};

const cli =
  'aws lambda update-function-configuration \\\n  --function-name hello \\\n  --memory-size 256 \\\n  --region us-east-1\naws lambda wait function-updated-v2 \\\n  --function-name hello \\\n  --region us-east-1';

const review: ChangeReview = {
  reviewed: {
    id: 'plan-7',
    plan: { context, functionName: 'hello', steps: [{ summary: 'Update the configuration of hello and wait until the update is done.', cli }] },
    script: '#!/bin/sh\n',
  },
  changes: [{ field: 'memoryMb', label: 'Memory', old: '128 MB', new: '256 MB', step: 0 }],
};

async function backend(handle: Handler) {
  await sandboxBackend((cmd, args) => {
    if (cmd === 'list_runtimes') return runtimes;
    if (cmd === 'list_lambda_roles') return { context, roles: [] };
    return handle(cmd, args);
  });
}

isolateEachTest();

describe('the Configuration tab', () => {
  it('reviews each change as its old value, new value and CLI command, and applies only the reviewed plan', async () => {
    const calls: string[] = [];
    let current = details;
    await backend((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'function_details') return current;
      if (cmd === 'plan_configuration') {
        expect((args.settings as FunctionSettings).memoryMb).toBe(256);
        return review;
      }
      if (cmd === 'apply_change') {
        expect(args.planId).toBe('plan-7');
        expect(args).not.toHaveProperty('settings');
        const channel = args.onEvent as Channel<PlanEvent>;
        channel.onmessage({ step: 0, status: 'Done', detail: null, sentBytes: null, totalBytes: null });
        current = { ...details, settings: { ...settings, memoryMb: 256 } };
        const done: PlanOutcome = { context, succeeded: true, functionName: 'hello', functionArn: null, failedStep: null, error: null, leftBehind: [], revealed: [] };
        return done;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(ConfigurationTab, { functionName: 'hello', under });
    const memory = (await screen.findByTestId('cfg-memory')) as HTMLInputElement;
    expect(memory.value).toBe('128');
    expect((screen.getByTestId('review-changes') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.input(memory, { target: { value: '256' } });
    expect(screen.getByTestId('review-changes').textContent).toContain('Review 1 change');
    await fireEvent.click(screen.getByTestId('review-changes'));

    const table = await screen.findByTestId('setting-changes');
    const row = within(table).getByText('Memory').closest('tr') as HTMLElement;
    expect(row.dataset.field).toBe('memoryMb');
    expect(within(row).getByText('128 MB')).toBeTruthy();
    expect(within(row).getByText('256 MB')).toBeTruthy();
    expect(screen.getByTestId('step-cli').textContent).toBe(cli);
    expect(calls).not.toContain('apply_change');

    await fireEvent.click(screen.getByTestId('apply-change'));
    await screen.findByTestId('change-done');
    await fireEvent.click(screen.getByTestId('change-close'));
    await screen.findByTestId('configuration-saved');
    expect(((await screen.findByTestId('cfg-memory')) as HTMLInputElement).value).toBe('256');
  });

  it('shows a refused setting beside its field and keeps what was typed', async () => {
    await backend((cmd) => {
      if (cmd === 'function_details') return details;
      if (cmd === 'plan_configuration') {
        throw { kind: 'Validation', message: 'Memory must be 128 to 10240 MB; 20000 is not.', hint: null, field: 'memoryMb' };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(ConfigurationTab, { functionName: 'hello', under });
    const memory = (await screen.findByTestId('cfg-memory')) as HTMLInputElement;
    await fireEvent.input(memory, { target: { value: '20000' } });
    await fireEvent.click(screen.getByTestId('review-changes'));
    const error = await screen.findByTestId('field-error');
    expect(error.dataset.field).toBe('memoryMb');
    expect(error.textContent).toContain('128 to 10240');
    expect((screen.getByTestId('cfg-memory') as HTMLInputElement).value).toBe('20000');
    expect(screen.getByTestId('cfg-memory').getAttribute('aria-invalid')).toBe('true');
  });

  it('keeps a runtime its table does not know, so an unrelated change does not change the runtime', async () => {
    const sent: FunctionSettings[] = [];
    await backend((cmd, args) => {
      if (cmd === 'function_details') return { ...details, settings: { ...settings, runtime: 'go1.x', handler: 'main' } };
      if (cmd === 'plan_configuration') {
        sent.push(args.settings as FunctionSettings);
        return review;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(ConfigurationTab, { functionName: 'hello', under });
    const memory = (await screen.findByTestId('cfg-memory')) as HTMLInputElement;
    expect((screen.getByLabelText('Runtime') as HTMLSelectElement).value).toBe('go1.x');
    await fireEvent.input(memory, { target: { value: '256' } });
    expect(screen.getByTestId('review-changes').textContent).toContain('Review 1 change');
    await fireEvent.click(screen.getByTestId('review-changes'));
    await screen.findByTestId('change-review');
    expect(sent[0]?.runtime).toBe('go1.x');
  });
});
