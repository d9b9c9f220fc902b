//! The sandbox's schedules, fired while the app is open. moto stores EventBridge rules but never
//! fires them; on the Local sandbox Lambdesk does, as EventBridge would: each enabled schedule that
//! is due sends the scheduled event to its Lambda targets as an asynchronous invoke, which the local
//! Lambda runs and logs. It acts only on a context that runs code locally.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use chrono::{TimeZone, Utc};

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};
use crate::events::{self, ScheduledRule};
use crate::lambda::{self, InvocationType, InvokeRequest};
use crate::local::LocalLambda;
use crate::validate;

/// A schedule fired at a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub rule: String,
    pub function: String,
}

/// When each schedule is due next, by rule ARN.
#[derive(Default)]
pub struct Scheduler {
    due: Mutex<HashMap<String, i64>>,
}

/// The next run of `expression` after `after_ms`, if it has one.
fn next_after(expression: &str, after_ms: i64) -> Option<i64> {
    let parsed = validate::schedule_expression(expression).ok()?;
    events::next_runs(&parsed, events::utc(after_ms.div_euclid(1000)), 1)
        .first()
        .copied()
}

/// The event EventBridge sends a function when a schedule fires.
fn scheduled_event(ctx: &AwsContext, rule: &ScheduledRule, at_ms: i64) -> String {
    let mut event: EventBridgeEvent = EventBridgeEvent::default();
    event.version = Some("0".to_owned());
    event.id = Some(uuid::Uuid::new_v4().to_string());
    "Scheduled Event".clone_into(&mut event.detail_type);
    "aws.events".clone_into(&mut event.source);
    event.account = Some(ctx.account_id.clone());
    event.time = Utc.timestamp_millis_opt(at_ms).single();
    event.region = Some(ctx.region.clone());
    event.resources = Some(vec![rule.arn.clone()]);
    event.detail = serde_json::Value::Object(serde_json::Map::new());
    serde_json::to_string(&event).unwrap_or_default()
}

impl Scheduler {
    /// Fires every enabled schedule of the context that is due at `now_ms`. A schedule seen for
    /// the first time is due at its next run after now, as a new rule is in EventBridge.
    pub async fn tick(
        &self,
        ctx: &AwsContext,
        local: &LocalLambda,
        now_ms: i64,
    ) -> Result<Vec<Fired>, AppError> {
        if !ctx.runs_code_locally {
            return Ok(Vec::new());
        }
        let rules = events::scheduled_rules(ctx).await?;
        let mut fired = Vec::new();
        for rule in rules.into_iter().filter(|rule| rule.enabled) {
            let due = {
                let mut due = self
                    .due
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let Some(next) = due
                    .get(&rule.arn)
                    .copied()
                    .or_else(|| next_after(&rule.expression, now_ms))
                else {
                    continue;
                };
                if next > now_ms {
                    due.insert(rule.arn.clone(), next);
                    continue;
                }
                // Runs missed while the app was busy are not made up, as EventBridge does not.
                match next_after(&rule.expression, now_ms) {
                    Some(after) => due.insert(rule.arn.clone(), after),
                    None => due.remove(&rule.arn),
                };
                next
            };
            let payload = scheduled_event(ctx, &rule, due);
            // A rule deleted since the list was read (by another window, or the console) has no
            // targets to run, and must not stop the others.
            let targets = match events::target_arns(ctx, &rule.name).await {
                Err(error) if error.kind == ErrorKind::NotFound => continue,
                other => other?,
            };
            for arn in targets {
                let Some(function) = lambda::function_name_in(ctx, &arn) else {
                    continue;
                };
                let request = InvokeRequest {
                    function_name: function.to_owned(),
                    payload: payload.clone(),
                    invocation_type: InvocationType::Event,
                    tail_log: false,
                };
                match lambda::invoke(ctx, local, &request).await {
                    Ok(_) => fired.push(Fired {
                        rule: rule.name.clone(),
                        function: function.to_owned(),
                    }),
                    Err(error) => {
                        tracing::warn!(%error, rule = %rule.name, function, "a schedule could not run its function");
                    }
                }
            }
        }
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> AwsContext {
        AwsContext::offline("us-east-1", "123456789012", true)
    }

    #[test]
    fn the_scheduled_event_is_eventbridges() {
        let rule = ScheduledRule {
            name: "every-minute".into(),
            arn: "arn:aws:events:us-east-1:123456789012:rule/every-minute".into(),
            expression: "rate(1 minute)".into(),
            enabled: true,
        };
        let event: serde_json::Value =
            serde_json::from_str(&scheduled_event(&context(), &rule, 1_795_000_000_000)).unwrap();
        assert_eq!(event["detail-type"], "Scheduled Event");
        assert_eq!(event["source"], "aws.events");
        assert_eq!(event["resources"][0], rule.arn);
        assert_eq!(event["time"], "2026-11-18T11:06:40Z");
        assert_eq!(event["detail"], serde_json::json!({}));
    }
}
