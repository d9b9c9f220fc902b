// Display helpers for values as AWS returns them.

/**
 * Parses Lambda's LastModified (`2026-11-24T15:20:00.000+0000`). WebKit rejects an offset without a
 * colon, so one is added before parsing. Returns null for anything unparseable.
 */
export function parseLambdaTimestamp(value: string): Date | null {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

// The list says these in English, as the rest of the app does, with a few lines rather than
// Intl.RelativeTimeFormat and Intl.DateTimeFormat: their first use loads ICU's locale and calendar
// data into the page, about 3 MiB of it, just to draw the function list.
const UNITS: [string, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "yesterday", "last month", "in 2 hours", "just now", relative to `now`. */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    const count = Math.trunc(seconds / size);
    if (count === 0) continue;
    const past = count < 0;
    const amount = Math.abs(count);
    if (amount === 1 && unit === 'day') return past ? 'yesterday' : 'tomorrow';
    if (amount === 1 && (unit === 'month' || unit === 'year')) return `${past ? 'last' : 'next'} ${unit}`;
    const span = `${amount} ${unit}${amount === 1 ? '' : 's'}`;
    return past ? `${span} ago` : `in ${span}`;
  }
  return 'just now';
}

/** The time as Lambda and the CLI give it, to the second: `2026-11-24 15:20:00 UTC`. */
export function utcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatMemory(megabytes: number | null): string {
  if (megabytes === null) return '—';
  return megabytes >= 1024 && megabytes % 1024 === 0 ? `${megabytes / 1024} GB` : `${megabytes} MB`;
}

/** Splits text at backticks, so commands in hints (`make sandbox`) can be shown as code. */
export function splitCode(text: string): { text: string; code: boolean }[] {
  return text
    .split('`')
    .map((part, index) => ({ text: part, code: index % 2 === 1 }))
    .filter((part) => part.text.length > 0);
}

/** A byte count as people read it: 812 B, 4.2 KB, 61.0 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
