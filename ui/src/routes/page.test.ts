import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel } from '@tauri-apps/api/core';
import type { AppError, FunctionList, ProfilesOverview, SandboxProgress } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { functionSummary, sandbox, work, overviewOf, regions, resetSession } from '$lib/testing';
import Page from './+page.svelte';

const navigation = vi.hoisted(() => ({ goto: vi.fn() }));
vi.mock('$app/navigation', () => navigation);

beforeEach(() => resetSession());
afterEach(() => clearMocks());

const twoFunctions: FunctionList = {
  context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
  functions: ['orders-api', 'nightly-report'].map((name) => functionSummary(name, 'us-east-1', '2026-11-24T15:20:00.000+0000')),
};

const networkError: AppError = {
  kind: 'Network',
  message: 'Could not list functions: the local sandbox at http://127.0.0.1:4566 is not answering.',
  hint: 'Start the sandbox with `make sandbox`.',
  field: null,
};

async function backend(answers: (FunctionList | AppError)[], overview: ProfilesOverview = overviewOf([sandbox])) {
  let calls = 0;
  mockIPC((cmd) => {
    if (cmd === 'list_profiles') return overview;
    if (cmd === 'list_regions') return regions;
    if (cmd === 'select_context') return null;
    if (cmd === 'list_functions') {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer && 'kind' in answer) throw answer;
      return answer;
    }
    throw `unexpected command ${cmd}`;
  });
  await session.load();
}

describe('the function list page', () => {
  it('shows loading, then the functions with the account and region', async () => {
    await backend([twoFunctions]);
    render(Page);
    expect(screen.getByRole('status').textContent).toContain('Loading functions');
    expect(await screen.findByText('orders-api')).toBeTruthy();
    expect(screen.getByText('nightly-report')).toBeTruthy();
    expect(screen.getByTestId('list-context').textContent).toContain('123456789012');
    expect(screen.getByTestId('list-context').textContent).toContain('2 in us-east-1');
  });

  it('says so when the region has no functions', async () => {
    await backend([{ ...twoFunctions, functions: [] }]);
    render(Page);
    expect((await screen.findByTestId('empty')).textContent).toContain('No functions in us-east-1 yet');
  });

  it('shows the error and its hint, and Retry loads again', async () => {
    await backend([networkError, twoFunctions]);
    render(Page);
    const alert = await screen.findByRole('alert');
    expect(screen.getByRole('heading', { name: 'The local sandbox is not answering' })).toBeTruthy();
    expect(alert.textContent).toContain('is not answering');
    expect(screen.getByText('make sandbox').tagName).toBe('CODE');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start the sandbox' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('orders-api')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('starts a sandbox of its own with a progress bar, then lists it and says it lives in memory', async () => {
    let finish: (overview: ProfilesOverview) => void = () => {};
    let progress: Channel<SandboxProgress> | null = null;
    let listed = 0;
    const started = overviewOf([{ ...sandbox, endpointUrl: 'http://127.0.0.1:40123' }]);
    mockIPC((cmd, args) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox]);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'list_functions') {
        if (listed++ === 0) throw networkError;
        return { ...twoFunctions, functions: [] };
      }
      if (cmd === 'start_sandbox') {
        progress = (args as { onProgress: Channel<SandboxProgress> }).onProgress;
        return new Promise<ProfilesOverview>((resolve) => (finish = resolve));
      }
      throw `unexpected command ${cmd}`;
    });
    await session.load();
    render(Page);
    expect(await screen.findByText(/installs moto/)).toBeTruthy();
    expect(screen.queryByTestId('sandbox-memory')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Start the sandbox' }));
    progress!.onmessage({ step: 'Downloading werkzeug (12 of about 60 packages)', fraction: 0.19 });
    const bar = (await screen.findByLabelText('Starting the sandbox')) as HTMLProgressElement;
    await vi.waitFor(() => expect(bar.value).toBeCloseTo(0.19));
    expect(screen.getByTestId('sandbox-step').textContent).toBe('Downloading werkzeug (12 of about 60 packages)');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();

    finish(started);
    expect((await screen.findByTestId('empty')).textContent).toContain('No functions in us-east-1 yet');
    expect(session.profile?.endpointUrl).toBe('http://127.0.0.1:40123');
    expect(screen.getByTestId('sandbox-memory').textContent).toContain('keeps everything in memory');
  });

  it('says why the sandbox could not start and offers it again', async () => {
    const noPython: AppError = {
      kind: 'NotFound',
      message: 'The sandbox runs on Python, and Lambdesk found no python3 on the PATH.',
      hint: 'Install Python 3 with its venv module (on Debian or Ubuntu: sudo apt install python3 python3-venv).',
      field: null,
    };
    mockIPC((cmd) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox]);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'list_functions') throw networkError;
      if (cmd === 'start_sandbox') throw noPython;
      throw `unexpected command ${cmd}`;
    });
    await session.load();
    render(Page);
    await fireEvent.click(await screen.findByRole('button', { name: 'Start the sandbox' }));
    const failure = await screen.findByTestId('sandbox-failure');
    expect(failure.textContent).toContain('found no python3');
    expect(failure.textContent).toContain('python3-venv');
    expect(screen.getByTestId('error-message').textContent).toContain('is not answering');
    expect(screen.getByRole('button', { name: 'Start the sandbox' })).toBeTruthy();
  });

  it('offers no sandbox for an account that cannot be reached', async () => {
    const offline: AppError = { ...networkError, message: 'Could not list functions: AWS in eu-west-1 is not answering.' };
    await backend([offline], overviewOf([sandbox, work], work));
    render(Page);
    expect((await screen.findByTestId('error-message')).textContent).toContain('AWS in eu-west-1');
    expect(screen.queryByRole('button', { name: 'Start the sandbox' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Retry' }));
  });

  it('lists every region at once on All regions, and opens a function in its own region', async () => {
    const selected: unknown[] = [];
    const west = {
      context: { profileId: 'sandbox', region: 'eu-west-1', accountId: '123456789012' },
      functions: [{ ...twoFunctions.functions[0]!, name: 'eu-orders', arn: 'arn:aws:lambda:eu-west-1:123456789012:function:eu-orders' }],
    };
    mockIPC((cmd, args) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox]);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'list_functions') return twoFunctions;
      if (cmd === 'select_context') {
        selected.push((args as { selection: unknown }).selection);
        return null;
      }
      if (cmd === 'list_functions_everywhere') {
        expect(args).toMatchObject({ profileId: 'sandbox' });
        return [
          { region: 'eu-west-1', list: west, error: null },
          { region: 'us-east-1', list: twoFunctions, error: null },
          { region: 'us-west-2', list: null, error: { ...networkError, message: 'us-west-2 did not answer' } },
        ];
      }
      throw `unexpected command ${cmd}`;
    });
    await session.load();
    render(Page);
    await screen.findByText('orders-api');
    expect(screen.queryByTestId('function-region')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'All regions' }));
    expect(await screen.findByText('eu-orders')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'All regions' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByTestId('function-region').map((cell) => cell.textContent)).toEqual(['eu-west-1', 'us-east-1', 'us-east-1']);
    expect(screen.getByTestId('list-context').textContent).toContain('3 in 3 regions');
    expect(screen.getByTestId('regions-failed').textContent).toContain('1 region could not be listed');
    expect(screen.getByTestId('regions-failed').textContent).toContain('us-west-2 did not answer');

    await fireEvent.click(screen.getByText('eu-orders'));
    await vi.waitFor(() => expect(navigation.goto).toHaveBeenCalledWith('/function?name=eu-orders'));
    expect(selected).toContainEqual({ profileId: 'sandbox', region: 'eu-west-1' });
    expect(session.selection).toEqual({ profileId: 'sandbox', region: 'eu-west-1' });
  });

  it('filters the rows by name', async () => {
    await backend([twoFunctions]);
    render(Page);
    await screen.findByText('orders-api');
    const filter = screen.getByLabelText('Filter functions by name');
    await fireEvent.input(filter, { target: { value: 'R' } });
    expect(screen.getAllByTestId('function-name').map((name) => name.textContent)).toEqual(['orders-api', 'nightly-report']);
    await fireEvent.input(filter, { target: { value: 'night' } });
    expect(screen.queryByText('orders-api')).toBeNull();
    expect(screen.getByText('nightly-report')).toBeTruthy();
  });

  it('focuses the filter on / and clears it on Escape', async () => {
    await backend([twoFunctions]);
    render(Page);
    await screen.findByText('orders-api');
    const input = screen.getByLabelText('Filter functions by name');
    await fireEvent.keyDown(window, { key: '/' });
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: 'night' } });
    expect(screen.queryByText('orders-api')).toBeNull();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByText('orders-api')).toBeTruthy();
    expect(document.activeElement).not.toBe(input);
  });

  it('never shows a slow answer for the previous profile after a switch', async () => {
    let answerSandbox: (list: FunctionList) => void = () => {};
    const workList: FunctionList = {
      context: { profileId: 'p-work', region: 'eu-west-1', accountId: '111111111111' },
      functions: [{ ...twoFunctions.functions[0]!, name: 'work-only', arn: 'arn:work-only' }],
    };
    mockIPC((cmd, args) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox, work], sandbox);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'select_context') return null;
      if (cmd === 'list_functions') {
        const { profileId } = args as { profileId: string };
        if (profileId === 'sandbox') return new Promise<FunctionList>((resolve) => (answerSandbox = resolve));
        return workList;
      }
      throw `unexpected command ${cmd}`;
    });
    await session.load();
    render(Page);
    await session.select('p-work', 'eu-west-1');
    expect(await screen.findByText('work-only')).toBeTruthy();
    answerSandbox(twoFunctions);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(screen.queryByText('orders-api')).toBeNull();
    expect(screen.getByText('work-only')).toBeTruthy();
    expect(screen.getByTestId('list-context').textContent).toContain('111111111111');
  });

  it('asks for the function name to be typed before deleting on a production profile', async () => {
    const deleted: unknown[] = [];
    const workList: FunctionList = { ...twoFunctions, context: { ...twoFunctions.context, profileId: 'p-work', region: 'eu-west-1' } };
    mockIPC((cmd, args) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox, work], work);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'list_functions') return workList;
      if (cmd === 'delete_function') {
        deleted.push(args);
        return null;
      }
      throw `unexpected command ${cmd}`;
    });
    await session.load();
    render(Page);
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete orders-api' }));
    const confirm = screen.getByRole('button', { name: 'Delete function' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    const typed = screen.getByLabelText('Type the name to confirm');
    expect(document.activeElement).toBe(typed);
    await fireEvent.input(typed, { target: { value: 'orders' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(typed, { target: { value: 'orders-api' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(deleted).toEqual([{ profileId: 'p-work', region: 'eu-west-1', name: 'orders-api', confirmName: 'orders-api' }]);
  });

  it('deletes after one click on a profile not marked as production', async () => {
    await backend([twoFunctions]);
    render(Page);
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete orders-api' }));
    expect(screen.queryByLabelText('Type the name to confirm')).toBeNull();
    expect((screen.getByRole('button', { name: 'Delete function' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
