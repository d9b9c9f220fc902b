//! A function's triggers: listed from the account (so triggers made elsewhere show too), a new
//! schedule compiled to a plan (the rule, its target, and Lambda's permission scoped to the rule),
//! and a schedule turned off, on, or removed with its target and permission.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag, partition};
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::events::{self, PutLambdaTarget, PutScheduleRule, RuleTrigger};
use crate::lambda::{self, AddPermission};
use crate::ledger::{Ledger, ResourceKind};
use crate::plan::{Plan, Purpose, Step};
use crate::validate;

/// How many next runs a schedule's preview shows.
const PREVIEW_RUNS: usize = 5;
const EVENTS_PRINCIPAL: &str = "events.amazonaws.com";

/// A function's triggers, as the Triggers tab lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TriggerList {
    pub context: ContextTag,
    pub function_name: String,
    pub rules: Vec<RuleTrigger>,
}

/// A schedule to add, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleDraft {
    pub rule_name: String,
    pub expression: String,
    pub description: String,
}

/// When a schedule expression runs next, in UTC milliseconds (the page shows local time too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePreview {
    pub expression: String,
    #[ts(type = "number[]")]
    pub next_runs_ms: Vec<i64>,
}

/// Checks an expression by AWS's rules and says when it runs next.
pub fn preview(expression: &str, now_ms: i64) -> Result<SchedulePreview, AppError> {
    let parsed = validate::schedule_expression(expression)?;
    Ok(SchedulePreview {
        expression: expression.trim().to_owned(),
        next_runs_ms: events::next_runs(
            &parsed,
            events::utc(now_ms.div_euclid(1000)),
            PREVIEW_RUNS,
        ),
    })
}

/// A rule's ARN, known before the rule exists, so the permission can be scoped to it.
fn rule_arn(ctx: &AwsContext, rule: &str) -> String {
    format!(
        "arn:{}:events:{}:{}:rule/{rule}",
        partition(&ctx.region),
        ctx.region,
        ctx.account_id
    )
}

fn statement_id(rule: &str) -> String {
    format!("lambdesk-{rule}")
}

/// The function's ARN, read from the account.
async fn function_arn(ctx: &AwsContext, name: &str) -> Result<String, AppError> {
    Ok(lambda::function_details(ctx, name).await?.arn)
}

/// Every trigger of the function that Lambdesk lists so far: the rules that target it.
pub async fn list_triggers(ctx: &AwsContext, function_name: &str) -> Result<TriggerList, AppError> {
    let arn = function_arn(ctx, function_name).await?;
    Ok(TriggerList {
        context: ctx.tag(),
        function_name: function_name.to_owned(),
        rules: events::rules_targeting(ctx, &arn).await?,
    })
}

/// Checks the draft and compiles the plan that adds the schedule. Sends nothing but reads.
pub async fn compile_schedule(
    ctx: &AwsContext,
    function_name: &str,
    draft: &ScheduleDraft,
) -> Result<Plan, AppError> {
    validate::rule_name(&draft.rule_name)?;
    validate::schedule_expression(&draft.expression)?;
    validate::description(&draft.description)?;
    let function_arn = function_arn(ctx, function_name).await?;
    let rule = draft.rule_name.clone();
    let steps: Vec<Box<dyn Step>> = vec![
        Box::new(PutScheduleRule {
            name: rule.clone(),
            expression: draft.expression.trim().to_owned(),
            description: draft.description.trim().to_owned(),
        }),
        Box::new(PutLambdaTarget {
            rule: rule.clone(),
            target_id: format!("lambdesk-{function_name}"),
            function_arn,
        }),
        Box::new(AddPermission {
            function: function_name.to_owned(),
            statement_id: statement_id(&rule),
            principal: EVENTS_PRINCIPAL.to_owned(),
            source_arn: rule_arn(ctx, &rule),
        }),
    ];
    Ok(Plan {
        purpose: Purpose::AddTrigger,
        function_name: function_name.to_owned(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        steps,
        staged: Vec::new(),
    })
}

/// The rule, if it is one of the function's triggers; anything else is refused, so a page can only
/// act on a trigger the account shows for that function.
async fn trigger_rule(
    ctx: &AwsContext,
    function_name: &str,
    rule: &str,
) -> Result<(String, RuleTrigger), AppError> {
    validate::rule_name(rule)?;
    let arn = function_arn(ctx, function_name).await?;
    let found = events::rules_targeting(ctx, &arn)
        .await?
        .into_iter()
        .find(|trigger| trigger.name == rule)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!("No rule named {rule} runs {function_name} in this account and region."),
            )
            .with_hint("Refresh the Triggers tab.")
        })?;
    Ok((arn, found))
}

/// Turns one of the function's schedules on or off.
pub async fn set_rule_enabled(
    ctx: &AwsContext,
    function_name: &str,
    rule: &str,
    enabled: bool,
) -> Result<(), AppError> {
    trigger_rule(ctx, function_name, rule).await?;
    events::set_rule_enabled(ctx, rule, enabled).await
}

/// Removes one of the function's rule triggers: the function as its target, the permission that
/// let the rule invoke it, and the rule itself when nothing else is its target.
pub async fn remove_rule_trigger(
    ctx: &AwsContext,
    ledger: &Ledger,
    function_name: &str,
    rule: &str,
) -> Result<(), AppError> {
    let (function_arn, found) = trigger_rule(ctx, function_name, rule).await?;
    let others = events::remove_function_targets(ctx, rule, &function_arn).await?;
    lambda::remove_permissions_for_source(ctx, function_name, &found.arn).await?;
    if others == 0 {
        gone_is_removed(events::delete_rule_with_targets(ctx, rule).await)?;
        let entry_id = ledger
            .entries(&ctx.account_id, &ctx.region)?
            .into_iter()
            .find(|entry| entry.kind == ResourceKind::Rule && entry.name == rule)
            .map(|entry| entry.id);
        if let Some(id) = entry_id {
            ledger.forget(&ctx.account_id, &ctx.region, &id)?;
        }
    }
    tracing::info!(rule, function = function_name, account = %ctx.account_id, region = %ctx.region, "removed a trigger");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_checks_the_expression_and_lists_five_runs() {
        let now = 1_795_000_000_000;
        let preview = preview("rate(1 minute)", now).unwrap();
        assert_eq!(preview.next_runs_ms.len(), 5);
        assert_eq!(preview.next_runs_ms[0], 1_795_000_060_000);
        let error = super::preview("rate(1 minutes)", now).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("scheduleExpression"));
    }
}
