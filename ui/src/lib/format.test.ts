import { describe, expect, it } from 'vitest';
import { formatMemory, parseLambdaTimestamp, relativeTime, splitCode } from './format';

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
