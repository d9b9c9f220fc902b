import { describe, expect, it } from 'vitest';
import { cronExpression, rateExpression, runTimes } from './schedule';

describe('the schedule builders', () => {
  it('write a rate as AWS takes it: singular for 1, plural above', () => {
    expect(rateExpression(1, 'minute')).toBe('rate(1 minute)');
    expect(rateExpression(5, 'minute')).toBe('rate(5 minutes)');
    expect(rateExpression(1, 'day')).toBe('rate(1 day)');
    expect(rateExpression(12, 'hour')).toBe('rate(12 hours)');
  });

  it('write the six cron fields in order', () => {
    expect(cronExpression({ minutes: '0', hours: '12', dayOfMonth: '*', month: '*', dayOfWeek: '?', year: ' * ' })).toBe(
      'cron(0 12 * * ? *)',
    );
  });

  it('show a run in UTC and local time, across a change to summer time', () => {
    // Noon UTC on the days around Europe's change to summer time on 28 March 2027.
    const before = Date.UTC(2027, 2, 27, 12, 0);
    const after = Date.UTC(2027, 2, 29, 12, 0);
    expect(runTimes(before, 'Europe/Berlin')).toEqual({
      utc: 'Sat, 27 Mar 2027, 12:00 UTC',
      local: 'Sat, 27 Mar 2027, 13:00 CET',
    });
    expect(runTimes(after, 'Europe/Berlin')).toEqual({
      utc: 'Mon, 29 Mar 2027, 12:00 UTC',
      local: 'Mon, 29 Mar 2027, 14:00 CEST',
    });
  });
});
