// The Monitor tab's charts, shaped for uPlot from the series Rust read in one GetMetricData call.
import type { FunctionMetrics, MetricRange } from '$lib/ipc';

export const RANGES: { id: MetricRange; label: string }[] = [
  { id: 'OneHour', label: '1 h' },
  { id: 'ThreeHours', label: '3 h' },
  { id: 'TwelveHours', label: '12 h' },
  { id: 'OneDay', label: '24 h' },
  { id: 'SevenDays', label: '7 days' },
];

/** One chart: its title, unit, and series (label, values, which axis). */
export type ChartSpec = {
  id: string;
  title: string;
  unit: string;
  series: { label: string; values: (number | null)[]; axis: 'left' | 'right'; colour: string }[];
  /** The right axis's unit, when a series uses it. */
  rightUnit?: string;
};

/** The five charts of the Monitor tab, in the console's order. Colours are CSS variables. */
export function chartsOf(metrics: FunctionMetrics): ChartSpec[] {
  return [
    {
      id: 'invocations',
      title: 'Invocations',
      unit: 'count',
      series: [{ label: 'Invocations', values: metrics.invocations, axis: 'left', colour: '--chart-1' }],
    },
    {
      id: 'errors',
      title: 'Errors and success rate',
      unit: 'count',
      rightUnit: '%',
      series: [
        { label: 'Errors', values: metrics.errors, axis: 'left', colour: '--chart-error' },
        { label: 'Success rate (%)', values: metrics.successRate, axis: 'right', colour: '--chart-2' },
      ],
    },
    {
      id: 'duration',
      title: 'Duration',
      unit: 'ms',
      series: [
        { label: 'Average (ms)', values: metrics.durationAverage, axis: 'left', colour: '--chart-1' },
        { label: 'Maximum (ms)', values: metrics.durationMaximum, axis: 'left', colour: '--chart-3' },
      ],
    },
    {
      id: 'throttles',
      title: 'Throttles',
      unit: 'count',
      series: [{ label: 'Throttles', values: metrics.throttles, axis: 'left', colour: '--chart-error' }],
    },
    {
      id: 'concurrency',
      title: 'Concurrent executions',
      unit: 'count',
      series: [{ label: 'Maximum', values: metrics.concurrentExecutions, axis: 'left', colour: '--chart-2' }],
    },
  ];
}

/** uPlot's data: seconds on the x axis, then each series. */
export function alignedData(metrics: FunctionMetrics, chart: ChartSpec): (number | null)[][] {
  return [metrics.timestampsMs.map((ms) => ms / 1000), ...chart.series.map((series) => series.values)];
}

/** Figures for the summary line: runs, errors and the share that succeeded over the range. */
export function totals(metrics: FunctionMetrics): { invocations: number; errors: number; successRate: number | null } {
  const invocations = metrics.invocations.reduce((sum, value) => sum + value, 0);
  const errors = metrics.errors.reduce((sum, value) => sum + value, 0);
  return { invocations, errors, successRate: invocations > 0 ? 100 * (1 - Math.min(errors / invocations, 1)) : null };
}
