//! The plan steps of a schedule trigger on EventBridge's side: the rule with its schedule, and the
//! function as its target.

use aws_sdk_eventbridge::types::{RuleState, Tag, Target};

use super::{delete_rule_with_targets, rule_exists, rule_made_by};
use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::ledger::{LedgerEntry, OWNER_TAG, ResourceKind};
use crate::plan::{Applied, Before, CliTarget, Command, Progress, Step, StepFuture};

/// A rule on the default bus that fires on a schedule. PutRule would replace a rule of the same
/// name, so `before` looks for one; the owner tag tells the rule made from another's of that name
/// once the look is over (and lets the ledger record it while the look runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutScheduleRule {
    pub name: String,
    pub expression: String,
    pub description: String,
    /// The plan's value of the owner tag the rule is made with.
    pub token: String,
}

impl Step for PutScheduleRule {
    fn summary(&self) -> String {
        format!(
            "Create the EventBridge rule {} that fires on {}.",
            self.name, self.expression
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("events", "put-rule")
            .option("name", &self.name)
            .option("schedule-expression", &self.expression)
            .option("state", "ENABLED")
            .option_if(
                "description",
                (!self.description.is_empty()).then_some(self.description.as_str()),
            )
            .option("tags", &format!("Key={OWNER_TAG},Value={}", self.token))
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(LedgerEntry::new(ResourceKind::Rule, &self.name, "").tagged(&self.token))
    }

    fn before<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, Before> {
        Box::pin(async move {
            if rule_exists(ctx, &self.name).await? {
                return Err(AppError::new(
                    ErrorKind::Conflict,
                    format!(
                        "A rule named {} already exists in this account and region.",
                        self.name
                    ),
                )
                .with_hint("Choose another name for the schedule.")
                .with_field("ruleName"));
            }
            Ok(Before::Absent)
        })
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let owner = Tag::builder()
                .key(OWNER_TAG)
                .value(&self.token)
                .build()
                .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?;
            let made = ctx
                .eventbridge()
                .put_rule()
                .name(&self.name)
                .schedule_expression(&self.expression)
                .state(RuleState::Enabled)
                .set_description((!self.description.is_empty()).then(|| self.description.clone()))
                .tags(owner)
                .send()
                .await
                .map_err(|err| {
                    AppError::from_sdk(err, &format!("create rule {}", self.name), &ctx.endpoint())
                })?;
            Ok(Applied {
                arn: made.rule_arn().map(str::to_owned),
                ..Applied::default()
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move { gone_is_removed(delete_rule_with_targets(ctx, &self.name).await) })
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(rule_made_by(ctx, &self.name, &self.token))
    }
}

/// The function as a rule's target; EventBridge sends it the scheduled event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutLambdaTarget {
    pub rule: String,
    pub target_id: String,
    pub function_arn: String,
}

impl Step for PutLambdaTarget {
    fn summary(&self) -> String {
        format!("Make the function the target of the rule {}.", self.rule)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("events", "put-targets")
            .option("rule", &self.rule)
            .option(
                "targets",
                &serde_json::json!([{ "Id": self.target_id, "Arn": self.function_arn }])
                    .to_string(),
            )
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let doing = format!("add the function as the target of rule {}", self.rule);
            let target = Target::builder()
                .id(&self.target_id)
                .arn(&self.function_arn)
                .build()
                .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?;
            let answer = ctx
                .eventbridge()
                .put_targets()
                .rule(&self.rule)
                .targets(target)
                .send()
                .await
                .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
            if let Some(failed) = answer.failed_entries().first() {
                return Err(AppError::new(
                    ErrorKind::Unknown,
                    format!(
                        "Could not {doing}: {}",
                        failed
                            .error_message()
                            .unwrap_or("EventBridge refused the target")
                    ),
                ));
            }
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let removed = ctx
                .eventbridge()
                .remove_targets()
                .rule(&self.rule)
                .ids(&self.target_id)
                .send()
                .await
                .map(|_| ())
                .map_err(|err| {
                    AppError::from_sdk(
                        err,
                        &format!("remove the target of rule {}", self.rule),
                        &ctx.endpoint(),
                    )
                });
            gone_is_removed(removed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_and_target_are_the_books_commands() {
        let target = CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let rule = PutScheduleRule {
            name: "hello-world-every-minute".into(),
            expression: "rate(1 minute)".into(),
            description: String::new(),
            token: "0a1b2c3d".into(),
        };
        assert_eq!(
            rule.cli(&target),
            "aws events put-rule \\\n  --name hello-world-every-minute \\\n  --schedule-expression 'rate(1 minute)' \\\n  --state ENABLED \\\n  --tags Key=lambdesk:plan,Value=0a1b2c3d \\\n  --region us-east-1"
        );
        let put = PutLambdaTarget {
            rule: "hello-world-every-minute".into(),
            target_id: "lambdesk-hello-world".into(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:hello-world".into(),
        };
        assert_eq!(
            put.cli(&target),
            "aws events put-targets \\\n  --rule hello-world-every-minute \\\n  --targets '[{\"Id\":\"lambdesk-hello-world\",\"Arn\":\"arn:aws:lambda:us-east-1:123456789012:function:hello-world\"}]' \\\n  --region us-east-1"
        );
    }
}
