import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError, FunctionList, ProfileView } from '$lib/ipc';
import Page from './+page.svelte';

afterEach(() => clearMocks());

const sandbox: ProfileView = {
  id: 'sandbox',
  name: 'Local sandbox',
  kind: 'Sandbox',
  defaultRegion: 'us-east-1',
  endpointUrl: 'http://127.0.0.1:4566',
};

const twoFunctions: FunctionList = {
  context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
  functions: ['orders-api', 'nightly-report'].map((name) => ({
    name,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    runtime: 'python3.12',
    memoryMb: 128,
    lastModified: '2026-11-24T15:20:00.000+0000',
    description: null,
  })),
};

const networkError: AppError = {
  kind: 'Network',
  message: 'Could not list functions: the local sandbox at http://127.0.0.1:4566 is not answering.',
  hint: 'Start the sandbox with `make sandbox`.',
  field: null,
};

function backend(answers: (FunctionList | AppError)[]) {
  let calls = 0;
  mockIPC((cmd) => {
    if (cmd === 'list_profiles') return [sandbox];
    if (cmd === 'list_functions') {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer && 'kind' in answer) throw answer;
      return answer;
    }
    throw `unexpected command ${cmd}`;
  });
}

describe('the function list page', () => {
  it('shows loading, then the functions with the account and region', async () => {
    backend([twoFunctions]);
    render(Page);
    expect(screen.getByRole('status').textContent).toContain('Loading functions');
    expect(await screen.findByText('orders-api')).toBeTruthy();
    expect(screen.getByText('nightly-report')).toBeTruthy();
    expect(screen.getByTestId('context').textContent).toContain('123456789012');
    expect(screen.getByText('2 in us-east-1')).toBeTruthy();
  });

  it('says so when the region has no functions', async () => {
    backend([{ ...twoFunctions, functions: [] }]);
    render(Page);
    expect((await screen.findByTestId('empty')).textContent).toContain('No functions in us-east-1 yet');
  });

  it('shows the error and its hint, and Retry loads again', async () => {
    backend([networkError, twoFunctions]);
    render(Page);
    const alert = await screen.findByRole('alert');
    expect(screen.getByRole('heading', { name: 'The local sandbox is not answering' })).toBeTruthy();
    expect(alert.textContent).toContain('is not answering');
    expect(screen.getByText('make sandbox').tagName).toBe('CODE');
    const retry = screen.getByRole('button', { name: 'Retry' });
    expect(document.activeElement).toBe(retry);
    await fireEvent.click(retry);
    expect(await screen.findByText('orders-api')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('filters the rows by name', async () => {
    backend([twoFunctions]);
    render(Page);
    await screen.findByText('orders-api');
    await fireEvent.input(screen.getByLabelText('Filter functions by name'), { target: { value: 'night' } });
    expect(screen.queryByText('orders-api')).toBeNull();
    expect(screen.getByText('nightly-report')).toBeTruthy();
  });

  it('focuses the filter on / and clears it on Escape', async () => {
    backend([twoFunctions]);
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
});
