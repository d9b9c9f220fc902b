//! EventBridge: schedules that run a function. Their expressions' next runs, the rules that
//! target a function (read from the account, so rules made elsewhere show too), turning one on or
//! off, removing one with its targets, and the plan steps that make a schedule trigger.

mod schedule;
mod steps;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use schedule::{next_runs, utc};
pub use steps::{PutLambdaTarget, PutScheduleRule};

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};
use crate::ledger::OWNER_TAG;

/// A rule that targets a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleTrigger {
    pub name: String,
    pub arn: String,
    /// `rate(...)` or `cron(...)`; `None` for a rule that matches events instead.
    pub schedule_expression: Option<String>,
    pub event_pattern: Option<String>,
    pub enabled: bool,
    pub description: Option<String>,
}

/// Every rule on the default bus that has the function as a target.
pub async fn rules_targeting(
    ctx: &AwsContext,
    function_arn: &str,
) -> Result<Vec<RuleTrigger>, AppError> {
    let client = ctx.eventbridge();
    let doing = "list the rules that run the function";
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_rule_names_by_target()
            .target_arn(function_arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, doing, &ctx.endpoint()))?;
        names.extend(page.rule_names().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let mut rules = Vec::new();
    for name in names {
        let described = client
            .describe_rule()
            .name(&name)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, doing, &ctx.endpoint()));
        // A rule deleted since the names were read is skipped, not an error.
        let rule = match described {
            Err(error) if error.kind == ErrorKind::NotFound => continue,
            other => other?,
        };
        rules.push(RuleTrigger {
            arn: rule.arn().unwrap_or_default().to_owned(),
            schedule_expression: rule.schedule_expression().map(str::to_owned),
            event_pattern: rule.event_pattern().map(str::to_owned),
            enabled: rule.state() == Some(&aws_sdk_eventbridge::types::RuleState::Enabled),
            description: rule
                .description()
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            name,
        });
    }
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rules)
}

/// Turns a rule on or off.
pub async fn set_rule_enabled(ctx: &AwsContext, name: &str, enabled: bool) -> Result<(), AppError> {
    crate::validate::rule_name(name)?;
    let client = ctx.eventbridge();
    let doing = format!("{} rule {name}", if enabled { "enable" } else { "disable" });
    if enabled {
        client
            .enable_rule()
            .name(name)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    } else {
        client
            .disable_rule()
            .name(name)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    }
    Ok(())
}

/// Whether a rule by that name is on the default bus.
pub async fn rule_exists(ctx: &AwsContext, name: &str) -> Result<bool, AppError> {
    Ok(find_rule(ctx, name).await?.is_some())
}

/// The rule's description, or `None` when there is no rule of that name.
async fn find_rule(
    ctx: &AwsContext,
    name: &str,
) -> Result<Option<aws_sdk_eventbridge::operation::describe_rule::DescribeRuleOutput>, AppError> {
    match ctx.eventbridge().describe_rule().name(name).send().await {
        Ok(rule) => Ok(Some(rule)),
        Err(err) => {
            let error = AppError::from_sdk(err, &format!("look up rule {name}"), &ctx.endpoint());
            if error.kind == ErrorKind::NotFound {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

/// Whether a rule of this name exists and carries the owner tag with `token`: made by the plan
/// that holds the token, not one of the user's of the same name.
pub async fn rule_made_by(ctx: &AwsContext, name: &str, token: &str) -> Result<bool, AppError> {
    let Some(arn) = find_rule(ctx, name)
        .await?
        .and_then(|rule| rule.arn().map(str::to_owned))
    else {
        return Ok(false);
    };
    let tags = ctx
        .eventbridge()
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("read the tags of rule {name}"),
                &ctx.endpoint(),
            )
        })?;
    Ok(tags
        .tags()
        .iter()
        .any(|tag| tag.key() == OWNER_TAG && tag.value() == token))
}

/// Removes a rule with its targets (a rule with targets cannot be deleted).
pub async fn delete_rule_with_targets(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    let client = ctx.eventbridge();
    let doing = format!("delete rule {name}");
    let targets = client
        .list_targets_by_rule()
        .rule(name)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    let ids: Vec<String> = targets
        .targets()
        .iter()
        .map(|target| target.id().to_owned())
        .collect();
    if !ids.is_empty() {
        client
            .remove_targets()
            .rule(name)
            .set_ids(Some(ids))
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    }
    client
        .delete_rule()
        .name(name)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    tracing::info!(rule = name, account = %ctx.account_id, region = %ctx.region, "deleted a rule");
    Ok(())
}

/// Removes the function from a rule's targets; returns how many other targets the rule keeps.
pub async fn remove_function_targets(
    ctx: &AwsContext,
    rule: &str,
    function_arn: &str,
) -> Result<usize, AppError> {
    let client = ctx.eventbridge();
    let doing = format!("remove the function from rule {rule}");
    let targets = client
        .list_targets_by_rule()
        .rule(rule)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    let (ours, others): (Vec<_>, Vec<_>) = targets
        .targets()
        .iter()
        .partition(|target| target.arn() == function_arn);
    let ids: Vec<String> = ours.iter().map(|target| target.id().to_owned()).collect();
    if !ids.is_empty() {
        client
            .remove_targets()
            .rule(rule)
            .set_ids(Some(ids))
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    }
    Ok(others.len())
}

/// A rule on the default bus that fires on a schedule, with its function targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledRule {
    pub name: String,
    pub arn: String,
    pub expression: String,
    pub enabled: bool,
}

/// Every rule on the default bus that has a schedule expression.
pub async fn scheduled_rules(ctx: &AwsContext) -> Result<Vec<ScheduledRule>, AppError> {
    let client = ctx.eventbridge();
    let mut rules = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_rules()
            .set_next_token(token)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, "list the rules", &ctx.endpoint()))?;
        rules.extend(page.rules().iter().filter_map(|rule| {
            Some(ScheduledRule {
                name: rule.name()?.to_owned(),
                arn: rule.arn().unwrap_or_default().to_owned(),
                expression: rule.schedule_expression()?.to_owned(),
                enabled: rule.state() == Some(&aws_sdk_eventbridge::types::RuleState::Enabled),
            })
        }));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    Ok(rules)
}

/// The ARNs a rule sends its events to.
pub async fn target_arns(ctx: &AwsContext, rule: &str) -> Result<Vec<String>, AppError> {
    let targets = ctx
        .eventbridge()
        .list_targets_by_rule()
        .rule(rule)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("list the targets of rule {rule}"),
                &ctx.endpoint(),
            )
        })?;
    Ok(targets
        .targets()
        .iter()
        .map(|target| target.arn().to_owned())
        .collect())
}
