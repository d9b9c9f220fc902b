import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { FunctionMetrics, MetricRange } from '$lib/ipc';
import { isolateEachTest, sandboxBackend } from '$lib/testing';
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

isolateEachTest();

describe('the Monitor charts', () => {
  it('asks for 24 h first, one call per period, and offers a test when nothing ran', async () => {
    const asked: unknown[] = [];
    await sandboxBackend((cmd, args) => {
      if (cmd === 'function_metrics') {
        const range = (args as { range: MetricRange }).range;
        asked.push(range);
        return quiet(range);
      }
      throw new Error(`unexpected ${cmd}`);
    });
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
