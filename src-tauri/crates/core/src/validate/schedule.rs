//! The rules for an EventBridge schedule expression, as AWS enforces them: `rate(1 minute)` but
//! `rate(5 minutes)`, positive values only, and `cron(...)` with six fields in their ranges, `?`
//! in exactly one of day-of-month and day-of-week, and `L`, `W` and `#` only where they belong.
//! The sandbox accepts much of what AWS refuses, so these checks are what stop it.

use super::invalid;
use crate::error::AppError;

const FIELD: &str = "scheduleExpression";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    Minute,
    Hour,
    Day,
}

impl RateUnit {
    pub fn seconds(self) -> u64 {
        match self {
            RateUnit::Minute => 60,
            RateUnit::Hour => 3600,
            RateUnit::Day => 86_400,
        }
    }
}

/// A schedule expression AWS would take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleExpression {
    Rate {
        value: u64,
        unit: RateUnit,
    },
    /// Minutes, hours, day-of-month, month, day-of-week and year, as written.
    Cron {
        fields: [String; 6],
    },
}

fn refused(message: String) -> AppError {
    invalid(
        FIELD,
        message,
        "Use rate(1 minute), rate(5 minutes), rate(1 hour), rate(7 days), or cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(0 12 * * ? *) for noon UTC every day.",
    )
}

/// Checks a schedule expression by AWS's rules.
pub fn schedule_expression(expression: &str) -> Result<ScheduleExpression, AppError> {
    let expression = expression.trim();
    if let Some(inner) = expression
        .strip_prefix("rate(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return rate(inner);
    }
    if let Some(inner) = expression
        .strip_prefix("cron(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return cron(inner);
    }
    Err(refused(format!(
        "\"{expression}\" is neither rate(...) nor cron(...)."
    )))
}

fn rate(inner: &str) -> Result<ScheduleExpression, AppError> {
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let [value, unit] = parts.as_slice() else {
        return Err(refused(format!(
            "rate({inner}) must be a number and a unit, e.g. rate(5 minutes)."
        )));
    };
    let value: u64 = value
        .parse()
        .ok()
        .filter(|value| *value > 0)
        .ok_or_else(|| {
            refused(format!(
                "rate({inner}): the value must be a whole number greater than 0."
            ))
        })?;
    let (unit, singular) = match *unit {
        "minute" => (RateUnit::Minute, true),
        "minutes" => (RateUnit::Minute, false),
        "hour" => (RateUnit::Hour, true),
        "hours" => (RateUnit::Hour, false),
        "day" => (RateUnit::Day, true),
        "days" => (RateUnit::Day, false),
        other => {
            return Err(refused(format!(
                "rate({inner}): the unit must be minute(s), hour(s) or day(s), not \"{other}\"."
            )));
        }
    };
    if singular != (value == 1) {
        let word = match unit {
            RateUnit::Minute => "minute",
            RateUnit::Hour => "hour",
            RateUnit::Day => "day",
        };
        let wanted = if value == 1 {
            format!("rate(1 {word})")
        } else {
            format!("rate({value} {word}s)")
        };
        return Err(refused(format!(
            "rate({inner}) is refused by AWS: write {wanted} (singular for 1, plural above)."
        )));
    }
    Ok(ScheduleExpression::Rate { value, unit })
}

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// The special characters beyond `* , - /` the field allows.
    special: &'static str,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 6] = [
    Field {
        name: "Minutes",
        min: 0,
        max: 59,
        names: &[],
        special: "",
    },
    Field {
        name: "Hours",
        min: 0,
        max: 23,
        names: &[],
        special: "",
    },
    Field {
        name: "Day-of-month",
        min: 1,
        max: 31,
        names: &[],
        special: "?LW",
    },
    Field {
        name: "Month",
        min: 1,
        max: 12,
        names: MONTHS,
        special: "",
    },
    Field {
        name: "Day-of-week",
        min: 1,
        max: 7,
        names: WEEKDAYS,
        special: "?L#",
    },
    Field {
        name: "Year",
        min: 1970,
        max: 2199,
        names: &[],
        special: "",
    },
];

fn cron(inner: &str) -> Result<ScheduleExpression, AppError> {
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let Ok(parts) = <[&str; 6]>::try_from(parts.as_slice()) else {
        return Err(refused(format!(
            "cron({inner}) has {} fields; AWS takes six: Minutes Hours Day-of-month Month Day-of-week Year.",
            inner.split_whitespace().count()
        )));
    };
    for (value, field) in parts.iter().zip(FIELDS.iter()) {
        check_field(value, field)
            .map_err(|why| refused(format!("cron({inner}): {} \"{value}\" {why}", field.name)))?;
    }
    let (day_of_month, day_of_week) = (parts[2], parts[4]);
    if (day_of_month == "?") == (day_of_week == "?") {
        return Err(refused(format!(
            "cron({inner}): exactly one of Day-of-month and Day-of-week must be ?, because AWS cannot use both."
        )));
    }
    Ok(ScheduleExpression::Cron {
        fields: parts.map(str::to_owned),
    })
}

fn number(text: &str, field: &Field) -> Result<u32, String> {
    let upper = text.to_ascii_uppercase();
    let value = match field.names.iter().position(|name| *name == upper) {
        Some(index) => u32::try_from(index).unwrap_or(0) + field.min,
        None => text
            .parse::<u32>()
            .map_err(|_| format!("is not valid: \"{text}\" is not a number"))?,
    };
    if value < field.min || value > field.max {
        return Err(format!(
            "is out of range: {value} is not within {} to {}",
            field.min, field.max
        ));
    }
    Ok(value)
}

fn check_field(value: &str, field: &Field) -> Result<(), String> {
    if value == "?" {
        return if field.special.contains('?') {
            Ok(())
        } else {
            Err("may not be ?: only Day-of-month and Day-of-week take it".to_owned())
        };
    }
    for item in value.split(',') {
        check_item(item, field)?;
    }
    Ok(())
}

fn check_item(item: &str, field: &Field) -> Result<(), String> {
    if item.is_empty() {
        return Err("has an empty item".to_owned());
    }
    let allows = |c: char| field.special.contains(c);
    // Day-of-month: L (last day), nW (weekday nearest n), LW (last weekday).
    if allows('W') && (item == "L" || item == "LW") {
        return Ok(());
    }
    if let Some(day) = item.strip_suffix('W')
        && allows('W')
    {
        return number(day, field).map(|_| ());
    }
    // Day-of-week: L (Saturday, the last day), nL (the last n-day of the month), n#k.
    if allows('#') {
        if item == "L" {
            return Ok(());
        }
        if let Some(day) = item.strip_suffix('L') {
            return number(day, field).map(|_| ());
        }
        if let Some((day, nth)) = item.split_once('#') {
            number(day, field)?;
            return match nth.parse::<u32>() {
                Ok(1..=5) => Ok(()),
                _ => Err(format!("has #{nth}; the occurrence must be 1 to 5")),
            };
        }
    }
    plain_item(item, field).map_err(|why| {
        // A letter that is no month or weekday name is a special character out of place.
        match item.chars().find(|c| "LW#?".contains(*c)) {
            Some(bad) => format!("may not hold {bad} in this field"),
            None => why,
        }
    })
}

/// `*`, `n`, `a-b`, each with an optional `/step`.
fn plain_item(item: &str, field: &Field) -> Result<(), String> {
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (item, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(step) if step > 0 => {}
            _ => return Err(format!("has the step /{step}; it must be a number above 0")),
        }
    }
    if range == "*" {
        return Ok(());
    }
    match range.split_once('-') {
        Some((from, to)) => {
            number(from, field)?;
            number(to, field)?;
        }
        None => {
            number(range, field)?;
        }
    }
    Ok(())
}

/// An EventBridge rule name: 1 to 64 letters, digits, `.`, `-` and `_`.
pub fn rule_name(name: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || ".-_".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(allowed) {
        return Err(invalid(
            "ruleName",
            format!(
                "Rule name \"{name}\" must be 1 to 64 letters, digits, dots, hyphens or underscores."
            ),
            "For example hello-world-every-minute.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_aws_takes_passes() {
        for expression in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(1 day)",
            "rate(7 days)",
            "cron(0 12 * * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0 10 ? * MON-FRI *)",
            "cron(0 18 ? * 6L *)",
            "cron(0 8 ? * 2#1 *)",
            "cron(0 9 L * ? *)",
            "cron(0 9 15W * ? *)",
            "cron(0 9 LW * ? *)",
            "cron(15 10 ? JAN,JUL SUN 2027-2030)",
            "cron(5,35 14 * * ? *)",
        ] {
            assert!(
                schedule_expression(expression).is_ok(),
                "{expression}: {:?}",
                schedule_expression(expression)
            );
        }
    }

    #[test]
    fn what_aws_refuses_is_refused_with_the_reason() {
        for (expression, reason) in [
            ("rate(1 minutes)", "write rate(1 minute)"),
            ("rate(5 minute)", "write rate(5 minutes)"),
            ("rate(0 minutes)", "greater than 0"),
            ("rate(-1 minutes)", "greater than 0"),
            ("rate(1.5 hours)", "whole number"),
            ("rate(2 weeks)", "minute(s), hour(s) or day(s)"),
            ("rate(5)", "a number and a unit"),
            (
                "cron(0 12 * * * *)",
                "exactly one of Day-of-month and Day-of-week",
            ),
            (
                "cron(0 12 ? * ? *)",
                "exactly one of Day-of-month and Day-of-week",
            ),
            ("cron(bad)", "has 1 fields"),
            ("cron(0 12 * * ?)", "has 5 fields"),
            ("cron(60 12 * * ? *)", "Minutes \"60\" is out of range"),
            ("cron(0 24 * * ? *)", "Hours \"24\" is out of range"),
            ("cron(0 12 32 * ? *)", "Day-of-month \"32\" is out of range"),
            ("cron(0 12 ? 13 MON *)", "Month \"13\" is out of range"),
            ("cron(0 12 ? * 8 *)", "Day-of-week \"8\" is out of range"),
            ("cron(0 12 ? * 2#6 *)", "occurrence must be 1 to 5"),
            ("cron(0 12 L * ? 1969)", "Year \"1969\" is out of range"),
            ("cron(0 12W * * ? *)", "may not hold W"),
            ("cron(0 12 ? * 5W *)", "may not hold W"),
            ("cron(0 12 3#1 * ? *)", "may not hold #"),
            ("cron(? 12 * * ? *)", "only Day-of-month and Day-of-week"),
            ("cron(*/0 12 * * ? *)", "above 0"),
            ("every minute", "neither rate(...) nor cron(...)"),
        ] {
            let error = schedule_expression(expression).expect_err(expression);
            assert_eq!(error.field.as_deref(), Some(FIELD));
            assert!(
                error.message.contains(reason),
                "{expression}: {}",
                error.message
            );
        }
    }
}
