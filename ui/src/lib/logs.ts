// Log lines as the explorer shows them: grouped by invocation (START, the function's lines, END
// and REPORT of one request id), with the run's duration and whether it failed, and errors marked
// so the next one is a key press away.
import type { FoundEvent } from '$lib/ipc';

/** The log group Lambda writes a function's lines to, as Rust's `function_log_group` names it. */
export function functionLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export type Invocation = {
  kind: 'invocation';
  requestId: string;
  stream: string;
  lines: FoundEvent[];
  /** Whether each of `lines`, in the same order, reports an error: read once per line. */
  errors: boolean[];
  durationMs: number | null;
  failed: boolean;
};

export type Loose = { kind: 'line'; line: FoundEvent };

export type LogItem = Invocation | Loose;

const START = /^START RequestId: ([0-9a-f-]+)/;
const REPORT = /^REPORT RequestId: ([0-9a-f-]+)[\s\S]*?\tDuration: ([\d.]+) ms/;
const ERROR = /\[ERROR\]|\bERROR\b|Traceback \(most recent call last\)|Task timed out|"errorType"|Runtime\.\w+Error|Status: error/;

/** Whether a line reports an error: a logged ERROR, a stack trace, a timeout, a runtime error. */
export function isError(message: string): boolean {
  return ERROR.test(message);
}

/**
 * Groups lines, oldest first, by the invocation that wrote them: in each stream, the lines from
 * `START RequestId: x` to `REPORT RequestId: x` are x's. Lines outside any run stay on their own.
 */
export function groupByRequest(events: FoundEvent[]): LogItem[] {
  const items: LogItem[] = [];
  const open = new Map<string, Invocation>();
  for (const line of events) {
    const start = START.exec(line.message);
    if (start) {
      const error = isError(line.message);
      const run: Invocation = { kind: 'invocation', requestId: start[1]!, stream: line.stream, lines: [line], errors: [error], durationMs: null, failed: error };
      open.set(line.stream, run);
      items.push(run);
      continue;
    }
    const run = open.get(line.stream);
    if (!run) {
      items.push({ kind: 'line', line });
      continue;
    }
    const error = isError(line.message);
    run.lines.push(line);
    run.errors.push(error);
    if (error) run.failed = true;
    const report = REPORT.exec(line.message);
    if (report && report[1] === run.requestId) {
      run.durationMs = Number(report[2]);
      open.delete(line.stream);
    }
  }
  return items;
}

/** One row of the virtual list: a run's header, or a line (of a run or loose). */
export type Row =
  | { kind: 'run'; run: Invocation }
  | { kind: 'line'; line: FoundEvent; run: Invocation | null; error: boolean };

/** The rows the list draws, runs expanded under their headers. */
export function rowsOf(items: LogItem[]): Row[] {
  const rows: Row[] = [];
  for (const item of items) {
    if (item.kind === 'line') {
      rows.push({ kind: 'line', line: item.line, run: null, error: isError(item.line.message) });
      continue;
    }
    rows.push({ kind: 'run', run: item });
    item.lines.forEach((line, index) => rows.push({ kind: 'line', line, run: item, error: item.errors[index] ?? false }));
  }
  return rows;
}

/** The index of the next (or previous) error row after `from`, wrapping; -1 when there is none. */
export function nextError(rows: Row[], from: number, step: 1 | -1 = 1): number {
  const count = rows.length;
  for (let offset = 1; offset <= count; offset += 1) {
    const index = (((from + step * offset) % count) + count) % count;
    const row = rows[index];
    if (row?.kind === 'line' && row.error) return index;
  }
  return -1;
}

/** The text a copy of one run gives: its lines, as CloudWatch shows them. */
export function invocationText(run: Invocation): string {
  return run.lines.map((line) => line.message).join('\n');
}
