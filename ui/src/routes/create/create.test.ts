import type { Channel } from '@tauri-apps/api/core';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppError, Blueprint, FunctionDraft, PlanEvent, PlanOutcome, PlanView, PolicyTemplate, ReviewedPlan, RoleList, RuntimeTable } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { wizard } from '$lib/stores/wizard.svelte';
import { type Handler, isolateEachTest, sandbox, sandboxBackend, work } from '$lib/testing';
import Page from './+page.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };

const runtimes: RuntimeTable = {
  offered: [{ id: 'python3.13', name: 'Python 3.13', language: 'python', deprecated: '2029-06-30', blockCreate: '2029-07-31' }],
  deprecated: [{ id: 'python3.9', name: 'Python 3.9', language: 'python', deprecated: '2025-12-15', blockCreate: '2026-06-15' }],
};

const hello: Blueprint = {
  id: 'hello-world-python',
  name: 'Hello world (Python)',
  description: 'Prints key1 to key3.',
  runtime: 'python3.13',
  handler: 'lambda_function.lambda_handler',
  tags: ['starter'],
  policyTemplates: ['basic'],
  trigger: null,
  files: [{ path: 'lambda_function.py', text: 'def lambda_handler(event, context):\n    return "Hello World"\n' }],
  sampleEvent: '{"key1": "value1"}',
};

const plan: PlanView = {
  context,
  functionName: 'hello',
  steps: [
    { summary: 'Create the IAM role hello-role.', cli: 'aws iam create-role \\\n  --role-name hello-role' },
    { summary: 'Create the function hello.', cli: 'aws lambda create-function \\\n  --function-name hello' },
  ],
};

const reviewed: ReviewedPlan = { id: 'plan-1', plan, script: '#!/bin/sh\n' };

const nameProblem: AppError = {
  kind: 'Validation',
  message: 'Function name "hello world" must be 1 to 64 letters, digits, hyphens or underscores.',
  hint: 'Lambda accepts no other characters in a name.',
  field: 'functionName',
};

async function backend(handle: Handler) {
  await sandboxBackend(
    (cmd, args) => {
      if (cmd === 'list_runtimes') return runtimes;
      if (cmd === 'list_blueprints') return [hello];
      if (cmd === 'list_policy_templates') return [];
      if (cmd === 'current_run') return null;
      if (cmd === 'dismiss_run') return null;
      return handle(cmd, args);
    },
    { shouldMockEvents: true },
  );
}

isolateEachTest();
beforeEach(() => {
  wizard.resetDraft();
  wizard.run = null;
  wizard.reviewed = null;
  wizard.contextChanged(null);
});

describe('the create-function wizard', () => {
  it('keeps the user on Basics with the rule beside the field, and keeps what was typed', async () => {
    const checked: FunctionDraft[] = [];
    await backend((cmd, args) => {
      if (cmd === 'check_draft') {
        const draft = args.draft as FunctionDraft;
        checked.push(draft);
        return draft.name === 'hello world' ? [nameProblem] : [];
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(Page);
    await screen.findByTestId('blueprint-preview');
    await fireEvent.click(screen.getByTestId('next'));
    await screen.findByTestId('wizard-basics');

    await fireEvent.input(screen.getByTestId('function-name'), { target: { value: 'hello world' } });
    await fireEvent.click(screen.getByTestId('next'));
    const error = await screen.findByTestId('field-error');
    expect(error.dataset.field).toBe('functionName');
    expect(error.textContent).toContain('letters, digits, hyphens or underscores');
    expect(screen.getByTestId('wizard-basics')).toBeTruthy();
    expect((screen.getByTestId('function-name') as HTMLInputElement).value).toBe('hello world');
    expect(screen.getByTestId('function-name').getAttribute('aria-invalid')).toBe('true');
    expect(checked.at(-1)?.code).toEqual({ kind: 'blueprint', id: 'hello-world-python' });
    expect(screen.getByRole('option', { name: /Python 3.13/ })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /Python 3.9/ })).toBeNull();
  });

  it('shows the plan with its CLI commands, creates nothing before Create, and reports a rolled-back failure', async () => {
    const calls: string[] = [];
    const failure: PlanOutcome = {
      context,
      succeeded: false,
      functionName: 'hello',
      functionArn: null,
      failedStep: 1,
      error: { kind: 'Conflict', message: 'Could not create function hello: Function already exist: hello', hint: null, field: null },
      leftBehind: [],
      revealed: [],
    };
    await backend((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'check_draft') return [];
      if (cmd === 'plan_function') return reviewed;
      if (cmd === 'create_function') {
        expect(args.planId).toBe('plan-1');
        expect(args).not.toHaveProperty('draft');
        const channel = args.onEvent as Channel<PlanEvent>;
        const event = (step: number, status: PlanEvent['status']): PlanEvent => ({ step, status, detail: null, sentBytes: null, totalBytes: null });
        channel.onmessage(event(0, 'Done'));
        channel.onmessage(event(1, 'Failed'));
        channel.onmessage(event(0, 'Undone'));
        return failure;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    wizard.name = 'hello';
    render(Page);
    await screen.findByTestId('blueprint-preview');
    await fireEvent.click(screen.getByTestId('page-review'));
    const clis = await screen.findAllByTestId('step-cli');
    expect(clis.map((cli) => cli.textContent)).toEqual(plan.steps.map((step) => step.cli));
    expect(calls).not.toContain('create_function');

    await fireEvent.click(screen.getByTestId('create'));
    const failed = await screen.findByTestId('apply-failed');
    expect(failed.textContent).toContain('Step 2 failed: Create the function hello.');
    expect(failed.textContent).toContain('Function already exist');
    expect(screen.getByTestId('nothing-left').textContent).toContain('nothing is left behind');
    const steps = within(screen.getByTestId('apply-steps')).getAllByRole('listitem');
    expect(steps.map((step) => step.dataset.status)).toEqual(['Undone', 'Failed']);

    await fireEvent.click(screen.getByRole('button', { name: 'Back to the wizard' }));
    expect(await screen.findByTestId('wizard-review')).toBeTruthy();
    expect(wizard.name).toBe('hello');
  });

  it('creates the reviewed plan by id, then starts a second function from an empty wizard', async () => {
    const success: PlanOutcome = {
      context,
      succeeded: true,
      functionName: 'hello',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
      failedStep: null,
      error: null,
      leftBehind: [],
      revealed: [],
    };
    await backend((cmd, args) => {
      if (cmd === 'check_draft') return [];
      if (cmd === 'plan_function') {
        expect((args.draft as FunctionDraft).name).toBe('hello');
        return reviewed;
      }
      if (cmd === 'create_function') return success;
      throw new Error(`unexpected ${cmd}`);
    });
    wizard.name = 'hello';
    wizard.environment = [{ key: 'STAGE', value: 'dev' }];
    render(Page);
    await screen.findByTestId('blueprint-preview');
    await fireEvent.click(screen.getByTestId('page-review'));
    await screen.findAllByTestId('step-cli');
    await fireEvent.click(screen.getByTestId('create'));
    await screen.findByTestId('apply-done');
    expect(screen.getByTestId('test-it').getAttribute('href')).toBe('/function?name=hello');
    expect(wizard.name, 'the draft is cleared as soon as the function exists').toBe('');

    await fireEvent.click(screen.getByTestId('create-another'));
    await screen.findByTestId('wizard-start');
    expect(wizard.draft.name).toBe('');
    expect(wizard.draft.environment).toEqual([]);
  });

  it('discards the plan when the account is switched on Review, and says so', async () => {
    const calls: string[] = [];
    await backend((cmd) => {
      calls.push(cmd);
      if (cmd === 'check_draft') return [];
      if (cmd === 'plan_function') return reviewed;
      if (cmd === 'discard_plan') return null;
      throw new Error(`unexpected ${cmd}`);
    });
    session.profiles = [sandbox, work];
    wizard.name = 'hello';
    wizard.contextChanged(session.selection);
    render(Page);
    await screen.findByTestId('blueprint-preview');
    await fireEvent.click(screen.getByTestId('page-review'));
    await screen.findAllByTestId('step-cli');

    session.selection = { profileId: 'p-work', region: 'eu-west-1' };
    wizard.contextChanged(session.selection);
    expect(await screen.findByTestId('wizard-notice')).toBeTruthy();
    expect(screen.getByTestId('wizard-notice').textContent).toContain('the plan');
    expect(screen.queryAllByTestId('step-cli')).toEqual([]);
    expect((screen.getByTestId('create') as HTMLButtonElement).disabled).toBe(true);
    expect(calls).toContain('discard_plan');
    expect(calls).not.toContain('create_function');
  });
});

describe('the role page', () => {
  const roleList = (accountId: string, profileId: string, region: string, name: string): RoleList => ({
    context: { profileId, region, accountId },
    roles: [{ name, arn: `arn:aws:iam::${accountId}:role/${name}`, description: null }],
  });

  it("shows the new account's roles when a switch happens while the first list loads", async () => {
    let releaseFirst: (list: RoleList) => void = () => undefined;
    await backend((cmd, args) => {
      if (cmd === 'list_lambda_roles') {
        if (args.profileId === 'sandbox') {
          return new Promise<RoleList>((resolve) => (releaseFirst = resolve));
        }
        return roleList('222222222222', 'p-work', 'eu-west-1', 'work-role');
      }
      throw new Error(`unexpected ${cmd}`);
    });
    session.profiles = [sandbox, work];
    const templates: PolicyTemplate[] = [];
    const { default: RolePage } = await import('$lib/components/wizard/RolePage.svelte');
    wizard.roleMode = 'existing';
    render(RolePage, { templates });
    await screen.findByText(/Loading the roles/);

    session.selection = { profileId: 'p-work', region: 'eu-west-1' };
    await screen.findByRole('option', { name: /work-role/ });
    releaseFirst(roleList('111111111111', 'sandbox', 'us-east-1', 'sandbox-role'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole('option', { name: /sandbox-role/ })).toBeNull();
    expect(screen.getByRole('option', { name: /work-role/ })).toBeTruthy();
  });
});
