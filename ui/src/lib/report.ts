// The figures of Lambda's REPORT line, which ends every invocation's log.
export interface ReportFigures {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number | null;
  initDurationMs: number | null;
}

const FIELDS: Record<string, keyof Omit<ReportFigures, 'requestId'>> = {
  Duration: 'durationMs',
  'Billed Duration': 'billedDurationMs',
  'Memory Size': 'memorySizeMb',
  'Max Memory Used': 'maxMemoryUsedMb',
  'Init Duration': 'initDurationMs',
};

/** The last REPORT line of a log, or null when the log has none (a tail cut before it). */
export function parseReport(log: string): ReportFigures | null {
  const line = log
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('REPORT RequestId: '));
  if (!line) return null;
  const [head = '', ...parts] = line.split('\t');
  const figures: ReportFigures = {
    requestId: head.slice('REPORT RequestId: '.length).trim(),
    durationMs: NaN,
    billedDurationMs: NaN,
    memorySizeMb: NaN,
    maxMemoryUsedMb: null,
    initDurationMs: null,
  };
  for (const part of parts) {
    const [, label = '', amount = ''] = /^\s*([A-Za-z ]+):\s*([\d.]+)\s*(ms|MB)\s*$/.exec(part) ?? [];
    const field = FIELDS[label];
    if (field) figures[field] = Number(amount);
  }
  return Number.isNaN(figures.durationMs) ? null : figures;
}

/** Lambda's LogResult: the last 4 KB of the log, base64 of UTF-8. */
export function decodeLogTail(encoded: string | null): string {
  if (!encoded) return '';
  const bytes = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
