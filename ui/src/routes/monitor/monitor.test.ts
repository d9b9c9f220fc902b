import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, FleetActivity } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { overviewOf, regions, resetSession, sandbox } from '$lib/testing';
import Page from './+page.svelte';

beforeEach(() => resetSession());
afterEach(() => {
  cleanup();
  clearMocks();
});

const day: FleetActivity = {
  context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
  functions: [
    { name: 'orders-api', runtime: 'nodejs20.x', invocations: 1200, errors: 3, p95DurationMs: 84.4 },
    { name: 'nightly-report', runtime: 'python3.12', invocations: 1, errors: 1, p95DurationMs: 5120 },
    { name: 'idle', runtime: null, invocations: 0, errors: 0, p95DurationMs: null },
  ],
  startMs: Date.UTC(2026, 11, 1, 12),
  endMs: Date.UTC(2026, 11, 2, 12),
  metricCalls: 1,
};

async function backend(answers: (FleetActivity | AppError)[]) {
  let calls = 0;
  mockIPC((cmd) => {
    if (cmd === 'list_profiles') return overviewOf([sandbox]);
    if (cmd === 'list_regions') return regions;
    if (cmd === 'fleet_activity') {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer && 'kind' in answer) throw answer;
      return answer;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  await session.load();
}

const names = () => screen.getAllByTestId('fleet-name').map((link) => link.textContent);

describe('the Monitor page', () => {
  it('lists each function busiest first, says how many calls it took, and sorts by any column', async () => {
    await backend([day]);
    render(Page);
    await screen.findByTestId('fleet-table');
    expect(names()).toEqual(['orders-api', 'nightly-report', 'idle']);
    expect(screen.getByTestId('fleet-summary').textContent).toMatch(/3 functions:\s+9 metrics read in 1 GetMetricData call\./);
    expect(screen.getAllByTestId('fleet-p95').map((cell) => cell.textContent)).toEqual(['84 ms', '5,120 ms', '—']);
    expect(screen.getByText('100 %')).toBeTruthy();
    expect(screen.getByText('container image')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('sort-p95DurationMs'));
    expect(names()).toEqual(['nightly-report', 'orders-api', 'idle']);
    expect(screen.getByTestId('sort-p95DurationMs').closest('th')?.getAttribute('aria-sort')).toBe('descending');
    await fireEvent.click(screen.getByTestId('sort-p95DurationMs'));
    expect(names()).toEqual(['orders-api', 'nightly-report', 'idle']);
    await fireEvent.click(screen.getByTestId('sort-name'));
    expect(names()).toEqual(['idle', 'nightly-report', 'orders-api']);
    expect(screen.getByTestId('sort-invocations').closest('th')?.getAttribute('aria-sort')).toBe('none');
  });

  it('offers Create when the region has no functions, and Retry after an error', async () => {
    const denied: AppError = { kind: 'AccessDenied', message: 'Not allowed to read the metrics.', hint: 'Allow cloudwatch:GetMetricData.', field: null };
    await backend([denied, { ...day, functions: [], metricCalls: 0 }]);
    render(Page);
    expect(await screen.findByText('Not allowed to read the metrics.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect((await screen.findByTestId('fleet-empty')).textContent).toContain('No functions in us-east-1');
  });
});
