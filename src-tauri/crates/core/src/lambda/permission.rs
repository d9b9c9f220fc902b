//! Lambda's resource policy: the statements that let a service invoke a function, each scoped to
//! the one resource that may (a rule's ARN, an API's ARN), and the plan step that adds one.

use super::get_function;
use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

/// Lets `principal` invoke the function, only from `source_arn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddPermission {
    pub function: String,
    pub statement_id: String,
    /// The service, e.g. `events.amazonaws.com`.
    pub principal: String,
    pub source_arn: String,
}

impl Step for AddPermission {
    fn summary(&self) -> String {
        format!(
            "Let {} invoke {}, only from {}.",
            self.principal, self.function, self.source_arn
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("lambda", "add-permission")
            .option("function-name", &self.function)
            .option("statement-id", &self.statement_id)
            .option("action", "lambda:InvokeFunction")
            .option("principal", &self.principal)
            .option("source-arn", &self.source_arn)
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.lambda()
                .add_permission()
                .function_name(&self.function)
                .statement_id(&self.statement_id)
                .action("lambda:InvokeFunction")
                .principal(&self.principal)
                .source_arn(&self.source_arn)
                .send()
                .await
                .map_err(|err| {
                    AppError::from_sdk(
                        err,
                        &format!("let {} invoke {}", self.principal, self.function),
                        &ctx.endpoint(),
                    )
                })?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(remove_permission(ctx, &self.function, &self.statement_id).await)
        })
    }
}

/// Removes one statement from the function's policy.
pub async fn remove_permission(
    ctx: &AwsContext,
    function: &str,
    statement_id: &str,
) -> Result<(), AppError> {
    ctx.lambda()
        .remove_permission()
        .function_name(function)
        .statement_id(statement_id)
        .send()
        .await
        .map(|_| ())
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("remove permission {statement_id} from {function}"),
                &ctx.endpoint(),
            )
        })
}

/// Removes every statement that lets something invoke the function from `source_arn`.
pub async fn remove_permissions_for_source(
    ctx: &AwsContext,
    function: &str,
    source_arn: &str,
) -> Result<(), AppError> {
    for statement in statements_for_source(ctx, function, source_arn).await? {
        gone_is_removed(remove_permission(ctx, function, &statement).await)?;
    }
    Ok(())
}

/// Removes every statement whose source ARN starts with `prefix`: all that an API granted.
pub async fn remove_permissions_for_sources_under(
    ctx: &AwsContext,
    function: &str,
    prefix: &str,
) -> Result<(), AppError> {
    for statement in statements_where(ctx, function, |source| source.starts_with(prefix)).await? {
        gone_is_removed(remove_permission(ctx, function, &statement).await)?;
    }
    Ok(())
}

/// The ids of the statements that let something invoke the function from `source_arn`.
pub async fn statements_for_source(
    ctx: &AwsContext,
    function: &str,
    source_arn: &str,
) -> Result<Vec<String>, AppError> {
    statements_where(ctx, function, |source| source == source_arn).await
}

/// The ids of the statements whose source ARN passes `keep`.
async fn statements_where(
    ctx: &AwsContext,
    function: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<String>, AppError> {
    let answer = ctx
        .lambda()
        .get_policy()
        .function_name(function)
        .send()
        .await;
    let policy = match answer {
        Ok(answer) => answer.policy().unwrap_or_default().to_owned(),
        Err(err) => {
            let error = AppError::from_sdk(
                err,
                &format!("read the policy of {function}"),
                &ctx.endpoint(),
            );
            // A function with no policy has no statements.
            if error.kind == ErrorKind::NotFound {
                get_function(ctx, function).await?;
                return Ok(Vec::new());
            }
            return Err(error);
        }
    };
    Ok(statements_matching(&policy, keep))
}

fn statements_matching(policy: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(document) = serde_json::from_str::<serde_json::Value>(policy) else {
        return Vec::new();
    };
    document["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|statement| {
            statement["Condition"]["ArnLike"]["AWS:SourceArn"]
                .as_str()
                .is_some_and(&keep)
        })
        .filter_map(|statement| statement["Sid"].as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_found_by_their_source_arn() {
        let policy = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"a","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/one"}}},
            {"Sid":"b","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/two"}}},
            {"Sid":"c","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"f"}]}"#;
        assert_eq!(
            statements_matching(policy, |source| source
                == "arn:aws:events:us-east-1:123456789012:rule/two"),
            ["b"]
        );
        assert_eq!(
            statements_matching(policy, |source| source.starts_with("arn:aws:events:")),
            ["a", "b"]
        );
        assert!(statements_matching("not json", |_| true).is_empty());
    }
}
