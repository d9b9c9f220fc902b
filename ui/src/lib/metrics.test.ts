import { describe, expect, it } from 'vitest';
import type { FunctionMetrics } from '$lib/ipc';
import { alignedData, chartsOf, totals } from './metrics';

const metrics: FunctionMetrics = {
  context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
  functionName: 'hello',
  range: 'OneHour',
  periodSeconds: 60,
  timestampsMs: [1_795_000_000_000, 1_795_000_060_000],
  invocations: [0, 4],
  errors: [0, 1],
  successRate: [null, 75],
  durationAverage: [null, 12.5],
  durationMaximum: [null, 20],
  throttles: [0, 0],
  concurrentExecutions: [null, 2],
};

describe('the Monitor charts', () => {
  it('draws five charts in the console order, errors with the success rate on a right axis', () => {
    const charts = chartsOf(metrics);
    expect(charts.map((chart) => chart.title)).toEqual([
      'Invocations',
      'Errors and success rate',
      'Duration',
      'Throttles',
      'Concurrent executions',
    ]);
    expect(charts[1]?.series.map((series) => series.axis)).toEqual(['left', 'right']);
  });

  it('gives uPlot seconds and keeps the gaps where nothing ran', () => {
    const duration = chartsOf(metrics)[2]!;
    expect(alignedData(metrics, duration)).toEqual([
      [1_795_000_000, 1_795_000_060],
      [null, 12.5],
      [null, 20],
    ]);
  });

  it('sums the range for the summary', () => {
    expect(totals(metrics)).toEqual({ invocations: 4, errors: 1, successRate: 75 });
    expect(totals({ ...metrics, invocations: [0, 0], errors: [0, 0] }).successRate).toBeNull();
  });
});
