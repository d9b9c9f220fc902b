import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionMetrics, MetricRange } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { overviewOf, regions, resetSession, sandbox } from '$lib/testing';
import MetricsPanel from './MetricsPanel.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };
const under = { profileId: 'sandbox', region: 'us-east-1' };

function quiet(range: MetricRange): FunctionMetrics {
  return {
    context,
    functionName: 'hello',
    range,
    periodSeconds: range === 'OneHour' ? 60 : 300,
    timestampsMs: [1_795_000_000_000],
    invocations: [0],
    errors: [0],
    successRate: [null],
    durationAverage: [null],
    durationMaximum: [null],
    throttles: [0],
    concurrentExecutions: [null],
  };
}

beforeEach(() => {
  resetSession();
  mockWindows('main');
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe('the Monitor charts', () => {
  it('asks for 24 h first, one call per period, and offers a test when nothing ran', async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_profiles') return overviewOf([sandbox]);
      if (cmd === 'list_regions') return regions;
      if (cmd === 'function_metrics') {
        const range = (args as { range: MetricRange }).range;
        asked.push(range);
        return quiet(range);
      }
      throw new Error(`unexpected ${cmd}`);
    });
    await session.load();
    let tested = 0;
    render(MetricsPanel, { functionName: 'hello', under, ontest: () => (tested += 1) });
    const empty = await screen.findByTestId('metrics-empty');
    expect(empty.textContent).toContain('hello has not run in the last 24 h');
    await fireEvent.click(screen.getByRole('button', { name: 'Test it' }));
    expect(tested).toBe(1);
    await fireEvent.click(screen.getByRole('button', { name: '1 h' }));
    await screen.findByText(/has not run in the last 1 h/);
    expect(asked).toEqual(['OneDay', 'OneHour']);
    expect(screen.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('true');
  });
});
