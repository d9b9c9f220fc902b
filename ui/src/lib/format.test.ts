import { describe, expect, it } from 'vitest';
import { formatMemory, parseLambdaTimestamp, relativeTime, splitCode, utcTimestamp } from './format';

describe('parseLambdaTimestamp', () => {
  it('reads the offset without a colon that Lambda sends', () => {
    const date = parseLambdaTimestamp('2026-11-24T15:20:00.000+0000');
    expect(date?.toISOString()).toBe('2026-11-24T15:20:00.000Z');
  });

  it('honours a non-zero offset', () => {
    expect(parseLambdaTimestamp('2026-11-24T17:20:00.000+0200')?.toISOString()).toBe('2026-11-24T15:20:00.000Z');
  });

  it('returns null for text that is not a date', () => {
    expect(parseLambdaTimestamp('yesterday')).toBeNull();
  });
});

describe('relativeTime', () => {
  const now = new Date('2026-11-24T12:00:00Z');

  it('says just now for under a minute', () => {
    expect(relativeTime(new Date('2026-11-24T11:59:30Z'), now)).toBe('just now');
  });

  it('uses the largest whole unit', () => {
    expect(relativeTime(new Date('2026-11-24T11:57:00Z'), now)).toBe('3 minutes ago');
    expect(relativeTime(new Date('2026-11-23T12:00:00Z'), now)).toBe('yesterday');
    expect(relativeTime(new Date('2026-08-24T12:00:00Z'), now)).toBe('3 months ago');
  });

  it('says what Intl.RelativeTimeFormat says in English, for times past and to come', () => {
    const english = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ['year', 365 * 24 * 3600],
      ['month', 30 * 24 * 3600],
      ['day', 24 * 3600],
      ['hour', 3600],
      ['minute', 60],
    ];
    for (const [unit, size] of units) {
      for (const count of [-13, -2, -1, 1, 2, 13]) {
        const date = new Date(now.getTime() + count * size * 1000);
        const larger = units.find(([, bigger]) => Math.abs(count * size) >= bigger)!;
        const expected = english.format(Math.trunc((count * size) / larger[1]), larger[0]);
        expect(relativeTime(date, now), `${count} ${unit}`).toBe(expected);
      }
    }
    expect(relativeTime(new Date('2026-11-25T12:00:00Z'), now)).toBe('tomorrow');
    expect(relativeTime(new Date('2026-10-24T12:00:00Z'), now)).toBe('last month');
    expect(relativeTime(new Date('2026-11-24T14:00:00Z'), now)).toBe('in 2 hours');
  });
});

describe('utcTimestamp', () => {
  it('gives the time to the second in UTC, whatever the offset it was read with', () => {
    expect(utcTimestamp(parseLambdaTimestamp('2026-11-24T17:20:05.123+0200')!)).toBe('2026-11-24 15:20:05 UTC');
  });
});

describe('formatMemory', () => {
  it('shows whole gigabytes as GB and the rest as MB', () => {
    expect(formatMemory(128)).toBe('128 MB');
    expect(formatMemory(1536)).toBe('1536 MB');
    expect(formatMemory(10240)).toBe('10 GB');
    expect(formatMemory(null)).toBe('—');
  });
});

describe('splitCode', () => {
  it('marks the parts between backticks as code', () => {
    expect(splitCode('Run `make sandbox`, then Retry.')).toEqual([
      { text: 'Run ', code: false },
      { text: 'make sandbox', code: true },
      { text: ', then Retry.', code: false },
    ]);
  });

  it('leaves text without backticks whole', () => {
    expect(splitCode('Check the network.')).toEqual([{ text: 'Check the network.', code: false }]);
  });
});
