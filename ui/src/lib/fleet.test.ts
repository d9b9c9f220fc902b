import { describe, expect, it } from 'vitest';
import type { FunctionActivity } from '$lib/ipc';
import { errorRate, firstDirection, sortActivity } from './fleet';

const row = (name: string, invocations: number, errors: number, p95DurationMs: number | null): FunctionActivity => ({
  name,
  runtime: 'python3.12',
  invocations,
  errors,
  p95DurationMs,
});

const rows = [row('beta', 10, 5, 300), row('alpha', 40, 2, 120), row('idle', 0, 0, null), row('gamma', 10, 0, 80)];
const names = (sorted: FunctionActivity[]) => sorted.map((r) => r.name);

describe('the Monitor table', () => {
  it('sorts by each column, both ways, with ties by name', () => {
    expect(names(sortActivity(rows, 'invocations', 'descending'))).toEqual(['alpha', 'beta', 'gamma', 'idle']);
    expect(names(sortActivity(rows, 'invocations', 'ascending'))).toEqual(['idle', 'beta', 'gamma', 'alpha']);
    expect(names(sortActivity(rows, 'name', 'ascending'))).toEqual(['alpha', 'beta', 'gamma', 'idle']);
    expect(names(sortActivity(rows, 'errors', 'descending'))).toEqual(['beta', 'alpha', 'gamma', 'idle']);
  });

  it('keeps functions with no figure last whichever way p95 or error rate sorts', () => {
    expect(names(sortActivity(rows, 'p95DurationMs', 'descending'))).toEqual(['beta', 'alpha', 'gamma', 'idle']);
    expect(names(sortActivity(rows, 'p95DurationMs', 'ascending'))).toEqual(['gamma', 'alpha', 'beta', 'idle']);
    expect(names(sortActivity(rows, 'errorRate', 'descending'))).toEqual(['beta', 'alpha', 'gamma', 'idle']);
    expect(names(sortActivity(rows, 'errorRate', 'ascending'))).toEqual(['gamma', 'alpha', 'beta', 'idle']);
  });

  it('gives the error rate in percent, none for a function that did not run', () => {
    expect(errorRate(rows[0]!)).toBe(50);
    expect(errorRate(rows[2]!)).toBeNull();
    expect(firstDirection('name')).toBe('ascending');
    expect(firstDirection('p95DurationMs')).toBe('descending');
  });
});
