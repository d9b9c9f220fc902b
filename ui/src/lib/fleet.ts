// The Monitor page's table: each function's day, sorted by any column, busiest first by default.
import type { FunctionActivity } from '$lib/ipc';

export type SortKey = 'name' | 'invocations' | 'errors' | 'errorRate' | 'p95DurationMs';
export type Direction = 'ascending' | 'descending';

/** Errors as a share of invocations, in percent; null when the function did not run. */
export function errorRate(row: FunctionActivity): number | null {
  return row.invocations > 0 ? (100 * row.errors) / row.invocations : null;
}

function value(row: FunctionActivity, key: SortKey): string | number | null {
  if (key === 'name') return row.name;
  if (key === 'errorRate') return errorRate(row);
  return row[key];
}

/**
 * The rows ordered by the column; rows with no figure (a function that did not run has no p95)
 * stay last either way, and ties keep the name order.
 */
export function sortActivity(rows: FunctionActivity[], key: SortKey, direction: Direction): FunctionActivity[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a, key), value(b, key)];
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return sign * (typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y));
    }
    return a.name.localeCompare(b.name);
  });
}

/** The direction a first click on a column sorts by: names A to Z, figures largest first. */
export function firstDirection(key: SortKey): Direction {
  return key === 'name' ? 'ascending' : 'descending';
}
