//! A function's settings as the function page edits them, read with GetFunction, and the plan steps
//! that change them: UpdateFunctionConfiguration (then the SDK's `function_updated_v2` waiter, so
//! a second change never meets a ResourceConflictException) and the tag changes. Each step's undo
//! puts back the values it replaced.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_lambda::client::Waiters;
use aws_sdk_lambda::types::{
    DeadLetterConfig, Environment, EphemeralStorage, PackageType, Runtime, VpcConfig,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Architecture, KeyValue, configuration_of, get_function, json_object};
use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

const UPDATED_WAIT: Duration = Duration::from_secs(300);

/// Everything the create wizard sets that can be changed later, as the Configuration tab edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionSettings {
    pub description: String,
    pub runtime: String,
    pub handler: String,
    pub architecture: Architecture,
    pub memory_mb: i32,
    pub timeout_seconds: i32,
    pub ephemeral_mb: i32,
    pub environment: Vec<KeyValue>,
    pub tags: Vec<KeyValue>,
    pub role_arn: String,
    pub dead_letter_arn: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// One function as its page shows it: its settings and what it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionDetails {
    pub context: ContextTag,
    pub name: String,
    pub arn: String,
    pub settings: FunctionSettings,
    pub code_sha256: String,
    #[ts(type = "number")]
    pub code_size_bytes: i64,
    pub last_modified: Option<String>,
    /// `Active`, `Pending`, `Inactive` or `Failed`.
    pub state: Option<String>,
    /// A container image has no zip to show or edit.
    pub is_image: bool,
}

fn sorted_pairs<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> Vec<KeyValue> {
    let sorted: BTreeMap<&String, &String> = pairs.collect();
    sorted
        .into_iter()
        .map(|(key, value)| KeyValue {
            key: key.clone(),
            value: value.clone(),
        })
        .collect()
}

/// The function's configuration and tags, read with one GetFunction call.
pub async fn function_details(ctx: &AwsContext, name: &str) -> Result<FunctionDetails, AppError> {
    crate::validate::function_name(name)?;
    let found = get_function(ctx, name).await?;
    let config = configuration_of(&found, name)?;
    let architecture = match config.architectures().first() {
        Some(aws_sdk_lambda::types::Architecture::Arm64) => Architecture::Arm64,
        _ => Architecture::X86_64,
    };
    let vpc = config.vpc_config();
    let settings = FunctionSettings {
        description: config.description().unwrap_or_default().to_owned(),
        runtime: config
            .runtime()
            .map(|runtime| runtime.as_str().to_owned())
            .unwrap_or_default(),
        handler: config.handler().unwrap_or_default().to_owned(),
        architecture,
        memory_mb: config.memory_size().unwrap_or(128),
        timeout_seconds: config.timeout().unwrap_or(3),
        ephemeral_mb: config
            .ephemeral_storage()
            .map(|storage| storage.size())
            .unwrap_or(512),
        environment: config
            .environment()
            .and_then(|environment| environment.variables())
            .map(|variables| sorted_pairs(variables.iter()))
            .unwrap_or_default(),
        tags: found
            .tags()
            .map(|tags| sorted_pairs(tags.iter()))
            .unwrap_or_default(),
        role_arn: config.role().unwrap_or_default().to_owned(),
        dead_letter_arn: config
            .dead_letter_config()
            .and_then(|dlq| dlq.target_arn())
            .filter(|arn| !arn.is_empty())
            .map(str::to_owned),
        subnet_ids: vpc.map(|vpc| vpc.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_ids: vpc
            .map(|vpc| vpc.security_group_ids().to_vec())
            .unwrap_or_default(),
    };
    Ok(FunctionDetails {
        context: ctx.tag(),
        name: name.to_owned(),
        arn: config.function_arn().unwrap_or_default().to_owned(),
        settings,
        code_sha256: config.code_sha256().unwrap_or_default().to_owned(),
        code_size_bytes: config.code_size(),
        last_modified: config.last_modified().map(str::to_owned),
        state: config.state().map(|state| state.as_str().to_owned()),
        is_image: config.package_type() == Some(&PackageType::Image),
    })
}

/// The settings UpdateFunctionConfiguration sends, the ones that differ between `from` and `to`.
/// Architecture and tags are not among them: Lambda changes those with UpdateFunctionCode and
/// TagResource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateConfiguration {
    pub name: String,
    pub from: FunctionSettings,
    pub to: FunctionSettings,
}

impl UpdateConfiguration {
    /// Whether any setting this step sends differs.
    pub fn changes_anything(&self) -> bool {
        let (a, b) = (&self.from, &self.to);
        a.description != b.description
            || a.runtime != b.runtime
            || a.handler != b.handler
            || a.memory_mb != b.memory_mb
            || a.timeout_seconds != b.timeout_seconds
            || a.ephemeral_mb != b.ephemeral_mb
            || a.environment != b.environment
            || a.role_arn != b.role_arn
            || a.dead_letter_arn != b.dead_letter_arn
            || a.subnet_ids != b.subnet_ids
            || a.security_group_ids != b.security_group_ids
    }
}

fn vpc_json(subnets: &[String], groups: &[String]) -> String {
    serde_json::json!({ "SubnetIds": subnets, "SecurityGroupIds": groups }).to_string()
}

/// Sends the settings of `to` that differ from `from`, then waits until the update is done.
async fn update_configuration(
    ctx: &AwsContext,
    name: &str,
    from: &FunctionSettings,
    to: &FunctionSettings,
) -> Result<(), AppError> {
    let doing = format!("update the configuration of {name}");
    let client = ctx.lambda();
    let mut request = client.update_function_configuration().function_name(name);
    if from.description != to.description {
        request = request.description(&to.description);
    }
    if from.runtime != to.runtime {
        request = request.runtime(Runtime::from(to.runtime.as_str()));
    }
    if from.handler != to.handler {
        request = request.handler(&to.handler);
    }
    if from.memory_mb != to.memory_mb {
        request = request.memory_size(to.memory_mb);
    }
    if from.timeout_seconds != to.timeout_seconds {
        request = request.timeout(to.timeout_seconds);
    }
    if from.ephemeral_mb != to.ephemeral_mb {
        let storage = EphemeralStorage::builder()
            .size(to.ephemeral_mb)
            .build()
            .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?;
        request = request.ephemeral_storage(storage);
    }
    if from.environment != to.environment {
        let variables = to
            .environment
            .iter()
            .map(|pair| (pair.key.clone(), pair.value.clone()))
            .collect();
        request = request.environment(
            Environment::builder()
                .set_variables(Some(variables))
                .build(),
        );
    }
    if from.role_arn != to.role_arn {
        request = request.role(&to.role_arn);
    }
    if from.dead_letter_arn != to.dead_letter_arn {
        // An empty target removes the dead-letter queue.
        request = request.dead_letter_config(
            DeadLetterConfig::builder()
                .target_arn(to.dead_letter_arn.clone().unwrap_or_default())
                .build(),
        );
    }
    if from.subnet_ids != to.subnet_ids || from.security_group_ids != to.security_group_ids {
        request = request.vpc_config(
            VpcConfig::builder()
                .set_subnet_ids(Some(to.subnet_ids.clone()))
                .set_security_group_ids(Some(to.security_group_ids.clone()))
                .build(),
        );
    }
    request
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    wait_until_updated(ctx, name).await
}

/// Waits until Lambda has finished applying a change to the function, with the SDK's waiter.
pub(crate) async fn wait_until_updated(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    ctx.lambda()
        .wait_until_function_updated_v2()
        .function_name(name)
        .wait(UPDATED_WAIT)
        .await
        .map(|_| ())
        .map_err(|err| {
            let reason = aws_smithy_types::error::display::DisplayErrorContext(&err);
            AppError::new(
                ErrorKind::Unknown,
                format!("The change to {name} was sent but did not finish: {reason}"),
            )
            .with_hint("Look at the function's state, then try again.")
        })
}

/// `aws lambda wait function-updated-v2`, as the CLI text of every update ends.
pub(crate) fn wait_updated_command(name: &str, target: &CliTarget) -> String {
    Command::new("lambda", "wait function-updated-v2")
        .option("function-name", name)
        .target(target)
        .render()
}

impl Step for UpdateConfiguration {
    fn summary(&self) -> String {
        format!(
            "Update the configuration of {} and wait until the update is done.",
            self.name
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let (a, b) = (&self.from, &self.to);
        let changed = |differs: bool, value: String| differs.then_some(value);
        let command = Command::new("lambda", "update-function-configuration")
            .option("function-name", &self.name)
            .option_if(
                "description",
                changed(a.description != b.description, b.description.clone()).as_deref(),
            )
            .option_if(
                "runtime",
                changed(a.runtime != b.runtime, b.runtime.clone()).as_deref(),
            )
            .option_if(
                "handler",
                changed(a.handler != b.handler, b.handler.clone()).as_deref(),
            )
            .option_if(
                "memory-size",
                changed(a.memory_mb != b.memory_mb, b.memory_mb.to_string()).as_deref(),
            )
            .option_if(
                "timeout",
                changed(
                    a.timeout_seconds != b.timeout_seconds,
                    b.timeout_seconds.to_string(),
                )
                .as_deref(),
            )
            .option_if(
                "ephemeral-storage",
                changed(
                    a.ephemeral_mb != b.ephemeral_mb,
                    format!("Size={}", b.ephemeral_mb),
                )
                .as_deref(),
            )
            .option_if(
                "environment",
                changed(
                    a.environment != b.environment,
                    format!("{{\"Variables\":{}}}", json_object(&b.environment)),
                )
                .as_deref(),
            )
            .option_if(
                "role",
                changed(a.role_arn != b.role_arn, b.role_arn.clone()).as_deref(),
            )
            .option_if(
                "dead-letter-config",
                changed(
                    a.dead_letter_arn != b.dead_letter_arn,
                    serde_json::json!({ "TargetArn": b.dead_letter_arn.clone().unwrap_or_default() })
                        .to_string(),
                )
                .as_deref(),
            )
            .option_if(
                "vpc-config",
                changed(
                    a.subnet_ids != b.subnet_ids || a.security_group_ids != b.security_group_ids,
                    vpc_json(&b.subnet_ids, &b.security_group_ids),
                )
                .as_deref(),
            )
            .target(target)
            .render();
        format!("{command}\n{}", wait_updated_command(&self.name, target))
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            progress.say("Sent; waiting until Lambda has applied it.".to_owned());
            update_configuration(ctx, &self.name, &self.from, &self.to).await?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(update_configuration(ctx, &self.name, &self.to, &self.from))
    }
}

/// The tag changes from `from` to `to`: TagResource for tags added or changed, UntagResource for
/// tags removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetagFunction {
    pub arn: String,
    pub from: Vec<KeyValue>,
    pub to: Vec<KeyValue>,
}

/// What turns the tags `from` into `to`: the tags to set, and the keys to remove.
fn tag_changes(from: &[KeyValue], to: &[KeyValue]) -> (Vec<KeyValue>, Vec<String>) {
    let set = to
        .iter()
        .filter(|pair| !from.contains(pair))
        .cloned()
        .collect();
    let removed = from
        .iter()
        .filter(|old| !to.iter().any(|pair| pair.key == old.key))
        .map(|old| old.key.clone())
        .collect();
    (set, removed)
}

async fn retag(
    ctx: &AwsContext,
    arn: &str,
    from: &[KeyValue],
    to: &[KeyValue],
) -> Result<(), AppError> {
    let client = ctx.lambda();
    let (set, removed) = tag_changes(from, to);
    if !removed.is_empty() {
        client
            .untag_resource()
            .resource(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|err| {
                AppError::from_sdk(err, "remove the function's tags", &ctx.endpoint())
            })?;
    }
    if !set.is_empty() {
        client
            .tag_resource()
            .resource(arn)
            .set_tags(Some(
                set.into_iter().map(|pair| (pair.key, pair.value)).collect(),
            ))
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, "tag the function", &ctx.endpoint()))?;
    }
    Ok(())
}

impl Step for RetagFunction {
    fn summary(&self) -> String {
        let (set, removed) = tag_changes(&self.from, &self.to);
        match (set.len(), removed.len()) {
            (0, removed) => format!("Remove {removed} tag(s) from the function."),
            (set, 0) => format!("Set {set} tag(s) on the function."),
            (set, removed) => format!("Set {set} tag(s) on the function and remove {removed}."),
        }
    }

    fn cli(&self, target: &CliTarget) -> String {
        let (set, removed) = tag_changes(&self.from, &self.to);
        let mut commands = Vec::new();
        if !removed.is_empty() {
            commands.push(
                Command::new("lambda", "untag-resource")
                    .option("resource", &self.arn)
                    .option("tag-keys", &serde_json::json!(removed).to_string())
                    .target(target)
                    .render(),
            );
        }
        if !set.is_empty() {
            commands.push(
                Command::new("lambda", "tag-resource")
                    .option("resource", &self.arn)
                    .option("tags", &json_object(&set))
                    .target(target)
                    .render(),
            );
        }
        commands.join("\n")
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            retag(ctx, &self.arn, &self.from, &self.to).await?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(retag(ctx, &self.arn, &self.to, &self.from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> FunctionSettings {
        FunctionSettings {
            description: "Says hello".into(),
            runtime: "python3.13".into(),
            handler: "lambda_function.lambda_handler".into(),
            architecture: Architecture::X86_64,
            memory_mb: 128,
            timeout_seconds: 3,
            ephemeral_mb: 512,
            environment: Vec::new(),
            tags: vec![KeyValue {
                key: "team".into(),
                value: "web".into(),
            }],
            role_arn: "arn:aws:iam::123456789012:role/hello-role".into(),
            dead_letter_arn: Some("arn:aws:sqs:us-east-1:123456789012:dlq".into()),
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
        }
    }

    fn target() -> CliTarget {
        CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        }
    }

    #[test]
    fn the_update_names_only_what_changed_and_waits() {
        let mut to = settings();
        to.memory_mb = 256;
        to.environment = vec![KeyValue {
            key: "GREETING".into(),
            value: "hi there".into(),
        }];
        to.dead_letter_arn = None;
        let step = UpdateConfiguration {
            name: "hello".into(),
            from: settings(),
            to,
        };
        assert!(step.changes_anything());
        assert_eq!(
            step.cli(&target()),
            "aws lambda update-function-configuration \\\n  --function-name hello \\\n  --memory-size 256 \\\n  --environment '{\"Variables\":{\"GREETING\":\"hi there\"}}' \\\n  --dead-letter-config '{\"TargetArn\":\"\"}' \\\n  --region us-east-1\naws lambda wait function-updated-v2 \\\n  --function-name hello \\\n  --region us-east-1"
        );
        let unchanged = UpdateConfiguration {
            name: "hello".into(),
            from: settings(),
            to: settings(),
        };
        assert!(!unchanged.changes_anything());
    }

    #[test]
    fn tags_are_set_and_removed_apart() {
        let step = RetagFunction {
            arn: "arn:aws:lambda:us-east-1:123456789012:function:hello".into(),
            from: vec![
                KeyValue {
                    key: "team".into(),
                    value: "web".into(),
                },
                KeyValue {
                    key: "old".into(),
                    value: "1".into(),
                },
            ],
            to: vec![
                KeyValue {
                    key: "team".into(),
                    value: "payments".into(),
                },
                KeyValue {
                    key: "stage".into(),
                    value: "prod".into(),
                },
            ],
        };
        assert_eq!(step.summary(), "Set 2 tag(s) on the function and remove 1.");
        assert_eq!(
            step.cli(&target()),
            "aws lambda untag-resource \\\n  --resource arn:aws:lambda:us-east-1:123456789012:function:hello \\\n  --tag-keys '[\"old\"]' \\\n  --region us-east-1\naws lambda tag-resource \\\n  --resource arn:aws:lambda:us-east-1:123456789012:function:hello \\\n  --tags '{\"team\":\"payments\",\"stage\":\"prod\"}' \\\n  --region us-east-1"
        );
    }
}
