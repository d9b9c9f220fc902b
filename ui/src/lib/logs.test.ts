import { describe, expect, it } from 'vitest';
import type { FoundEvent } from '$lib/ipc';
import { groupByRequest, invocationText, isError, nextError, rowsOf } from './logs';

let id = 0;
const line = (stream: string, message: string): FoundEvent => ({ eventId: String((id += 1)), stream, timestampMs: id, message });

// Lambda's own lines, as a Python function's run writes them (two streams interleaved).
const events = [
  line('a', 'INIT_START Runtime Version: python:3.13.v21'),
  line('a', 'START RequestId: 6f1c2b0e-1111-4c3a-9b7e-0123456789ab Version: $LATEST'),
  line('b', 'START RequestId: 0a0b0c0d-2222-4c3a-9b7e-0123456789ab Version: $LATEST'),
  line('a', 'Received GET /hello'),
  line('b', '[ERROR] Exception: Exception raised manually.'),
  line('b', 'Traceback (most recent call last):'),
  line('a', 'END RequestId: 6f1c2b0e-1111-4c3a-9b7e-0123456789ab'),
  line('a', 'REPORT RequestId: 6f1c2b0e-1111-4c3a-9b7e-0123456789ab\tDuration: 1.52 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 38 MB'),
  line('b', 'END RequestId: 0a0b0c0d-2222-4c3a-9b7e-0123456789ab'),
  line('b', 'REPORT RequestId: 0a0b0c0d-2222-4c3a-9b7e-0123456789ab\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB'),
];

describe('the log explorer', () => {
  it('groups each run by its request id, with its duration and whether it failed', () => {
    const items = groupByRequest(events);
    expect(items.map((item) => (item.kind === 'line' ? item.line.message.slice(0, 10) : item.requestId.slice(0, 8)))).toEqual([
      'INIT_START',
      '6f1c2b0e',
      '0a0b0c0d',
    ]);
    const [, ok, failed] = items;
    expect(ok?.kind === 'invocation' && [ok.lines.length, ok.durationMs, ok.failed]).toEqual([4, 1.52, false]);
    expect(failed?.kind === 'invocation' && [failed.lines.length, failed.durationMs, failed.failed]).toEqual([5, 12, true]);
    expect(failed?.kind === 'invocation' && failed.errors).toEqual([false, true, true, false, false]);
    if (failed?.kind === 'invocation') expect(invocationText(failed).split('\n')[1]).toBe('[ERROR] Exception: Exception raised manually.');
  });

  it('finds the next and previous error, wrapping', () => {
    const rows = rowsOf(groupByRequest(events));
    const first = nextError(rows, -1);
    expect(rows[first]?.kind === 'line' && rows[first].line.message).toBe('[ERROR] Exception: Exception raised manually.');
    const second = nextError(rows, first);
    expect(rows[second]?.kind === 'line' && rows[second].line.message).toBe('Traceback (most recent call last):');
    expect(nextError(rows, second)).toBe(first);
    expect(nextError(rows, first, -1)).toBe(second);
    expect(nextError(rowsOf(groupByRequest(events.slice(0, 4))), 0)).toBe(-1);
  });

  it('tells errors from ordinary lines', () => {
    expect(isError('2026-12-02T10:00:00Z Task timed out after 3.00 seconds')).toBe(true);
    expect(isError('{"errorType": "KeyError", "errorMessage": "x"}')).toBe(true);
    expect(isError('Received GET /hello')).toBe(false);
  });
});
