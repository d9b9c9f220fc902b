// The schedule form's builders: a rate from a value and a unit (singular for 1, as AWS wants), a
// cron expression from its six fields, and a run time shown in UTC and in local time.

export type RateUnit = 'minute' | 'hour' | 'day';

export function rateExpression(value: number, unit: RateUnit): string {
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

export interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

export function cronExpression(fields: CronFields): string {
  const parts = [fields.minutes, fields.hours, fields.dayOfMonth, fields.month, fields.dayOfWeek, fields.year];
  return `cron(${parts.map((part) => part.trim()).join(' ')})`;
}

/** A run time in UTC and in the given (by default the machine's) time zone. */
export function runTimes(ms: number, timeZone?: string): { utc: string; local: string } {
  const format = (zone: string | undefined) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(ms));
  return { utc: format('UTC'), local: format(timeZone) };
}
