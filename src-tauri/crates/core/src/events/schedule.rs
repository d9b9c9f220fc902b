//! When a schedule runs next. EventBridge evaluates schedules in UTC: a rate from the moment it
//! is set, a cron expression through the `croner` library (Quartz-style weekdays, as AWS's cron).

use chrono::{DateTime, TimeZone, Utc};
use croner::parser::{CronParser, Seconds, Year};

use crate::validate::ScheduleExpression;

/// The next `count` runs after `after`, as UTC milliseconds. Empty when the expression never runs
/// again (a cron whose years are past).
pub fn next_runs(expression: &ScheduleExpression, after: DateTime<Utc>, count: usize) -> Vec<i64> {
    match expression {
        ScheduleExpression::Rate { value, unit } => {
            let step =
                i64::try_from(value.saturating_mul(unit.seconds()) * 1000).unwrap_or(i64::MAX);
            let start = after.timestamp_millis();
            (1..=i64::try_from(count).unwrap_or(0))
                .map(|n| start.saturating_add(step.saturating_mul(n)))
                .collect()
        }
        ScheduleExpression::Cron { fields } => {
            let Some(cron) = croner_pattern(fields) else {
                return Vec::new();
            };
            let mut runs = Vec::with_capacity(count);
            let mut from = after;
            while runs.len() < count {
                match cron.find_next_occurrence(&from, false) {
                    Ok(next) => {
                        runs.push(next.timestamp_millis());
                        from = next;
                    }
                    Err(_) => break,
                }
            }
            runs
        }
    }
}

/// `n/step` (from n to the field's end, every step) as croner writes it: `n-last/step`.
fn open_steps(field: &str, last: u32) -> String {
    field
        .split(',')
        .map(|item| match item.split_once('/') {
            Some((start, step)) if start != "*" && !start.contains('-') => {
                format!("{start}-{last}/{step}")
            }
            _ => item.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// AWS's six fields as croner reads them: seconds first, `n/step` as a range, `nL` (the last
/// n-day) as `n#L`, and a lone `L` in day-of-week as Saturday, the week's last day.
fn croner_pattern(fields: &[String; 6]) -> Option<croner::Cron> {
    let [minutes, hours, day_of_month, month, day_of_week, year] = fields;
    let (minutes, hours) = (open_steps(minutes, 59), open_steps(hours, 23));
    let (day_of_month, month, year) = (
        open_steps(day_of_month, 31),
        open_steps(month, 12),
        open_steps(year, 2199),
    );
    let day_of_week = if day_of_week == "L" {
        "7".to_owned()
    } else {
        open_steps(day_of_week, 7)
            .split(',')
            .map(|item| match item.strip_suffix('L') {
                Some(day) if !day.is_empty() => format!("{day}#L"),
                _ => item.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let pattern = format!("0 {minutes} {hours} {day_of_month} {month} {day_of_week} {year}");
    CronParser::builder()
        .seconds(Seconds::Required)
        .year(Year::Required)
        .alternative_weekdays(true)
        .build()
        .parse(&pattern)
        .ok()
}

/// A time for tests and callers that have one in seconds.
pub fn utc(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::schedule_expression;

    fn runs(expression: &str, after: &str, count: usize) -> Vec<String> {
        let after = DateTime::parse_from_rfc3339(after)
            .unwrap()
            .with_timezone(&Utc);
        next_runs(&schedule_expression(expression).unwrap(), after, count)
            .into_iter()
            .map(|ms| {
                Utc.timestamp_millis_opt(ms)
                    .unwrap()
                    .format("%Y-%m-%d %H:%M %a")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn rates_run_every_interval_from_now() {
        assert_eq!(
            runs("rate(1 minute)", "2026-12-02T10:00:30Z", 3),
            [
                "2026-12-02 10:01 Wed",
                "2026-12-02 10:02 Wed",
                "2026-12-02 10:03 Wed"
            ]
        );
        assert_eq!(
            runs("rate(7 days)", "2026-12-02T10:00:00Z", 2),
            ["2026-12-09 10:00 Wed", "2026-12-16 10:00 Wed"]
        );
    }

    #[test]
    fn cron_runs_on_known_dates_in_utc() {
        // Noon UTC every day, across Europe's change to summer time on 2027-03-28: UTC does not move.
        assert_eq!(
            runs("cron(0 12 * * ? *)", "2027-03-26T13:00:00Z", 3),
            [
                "2027-03-27 12:00 Sat",
                "2027-03-28 12:00 Sun",
                "2027-03-29 12:00 Mon"
            ]
        );
        // Weekdays at 10:00: AWS counts SUN as 1, so 2-6 is Monday to Friday.
        assert_eq!(
            runs("cron(0 10 ? * 2-6 *)", "2026-12-04T11:00:00Z", 2),
            ["2026-12-07 10:00 Mon", "2026-12-08 10:00 Tue"]
        );
        // The last Friday of the month, and the first Monday.
        assert_eq!(
            runs("cron(0 18 ? * 6L *)", "2026-12-01T00:00:00Z", 2),
            ["2026-12-25 18:00 Fri", "2027-01-29 18:00 Fri"]
        );
        assert_eq!(
            runs("cron(0 8 ? * MON#1 *)", "2026-12-01T00:00:00Z", 2),
            ["2026-12-07 08:00 Mon", "2027-01-04 08:00 Mon"]
        );
        // The last day of the month, every 15 minutes within an hour, and a year range that ends.
        assert_eq!(
            runs("cron(0 9 L * ? *)", "2027-02-01T00:00:00Z", 2),
            ["2027-02-28 09:00 Sun", "2027-03-31 09:00 Wed"]
        );
        assert_eq!(
            runs("cron(0/15 9 * * ? *)", "2026-12-02T09:20:00Z", 3),
            [
                "2026-12-02 09:30 Wed",
                "2026-12-02 09:45 Wed",
                "2026-12-03 09:00 Thu"
            ]
        );
        assert!(runs("cron(0 9 1 1 ? 2026)", "2026-12-02T00:00:00Z", 3).is_empty());
    }
}
