//! Event source mappings: Lambda reading an SQS queue, a Kinesis stream or a DynamoDB stream and
//! invoking the function with batches of records. Listed from the account, turned on or off,
//! deleted, and the plan step that makes one.

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::AwsContext;
use crate::error::{AppError, gone_is_removed};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};
use crate::validate::{self, SourceKind};

/// A mapping that invokes the function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MappingTrigger {
    pub uuid: String,
    pub source_arn: String,
    /// `None` for a source Lambdesk does not offer (Kafka, MQ, DocumentDB), which is still listed.
    pub kind: Option<SourceKind>,
    pub batch_size: Option<i32>,
    pub batching_window_seconds: Option<i32>,
    pub starting_position: Option<String>,
    /// Lambda's state: `Enabled`, `Disabled`, `Creating`, `Enabling`, `Disabling`, ...
    pub state: String,
    /// The function it invokes, as Lambda names it (the ARN, possibly with a qualifier).
    pub function_arn: String,
}

impl MappingTrigger {
    pub fn enabled(&self) -> bool {
        matches!(
            self.state.as_str(),
            "Enabled" | "Enabling" | "Creating" | "Updating"
        )
    }
}

fn trigger_of(mapping: &aws_sdk_lambda::types::EventSourceMappingConfiguration) -> MappingTrigger {
    let source_arn = mapping.event_source_arn().unwrap_or_default().to_owned();
    let kind = source_arn
        .split(':')
        .nth(3)
        .and_then(|region| validate::event_source_arn(&source_arn, region).ok())
        .map(|source| source.kind);
    MappingTrigger {
        uuid: mapping.uuid().unwrap_or_default().to_owned(),
        kind,
        batch_size: mapping.batch_size(),
        batching_window_seconds: mapping.maximum_batching_window_in_seconds(),
        starting_position: mapping.starting_position().map(|p| p.as_str().to_owned()),
        state: mapping.state().unwrap_or("Enabled").to_owned(),
        function_arn: mapping.function_arn().unwrap_or_default().to_owned(),
        source_arn,
    }
}

/// The mappings of one function, or of every function of the region when `function` is `None`.
pub async fn mappings(
    ctx: &AwsContext,
    function: Option<&str>,
) -> Result<Vec<MappingTrigger>, AppError> {
    let found = ctx
        .lambda()
        .list_event_source_mappings()
        .set_function_name(function.map(str::to_owned))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|err| {
            AppError::from_sdk(err, "list the event source mappings", &ctx.endpoint())
        })?;
    let mut triggers: Vec<MappingTrigger> = found.iter().map(trigger_of).collect();
    triggers.sort_by(|a, b| a.source_arn.cmp(&b.source_arn));
    Ok(triggers)
}

pub async fn set_mapping_enabled(
    ctx: &AwsContext,
    uuid: &str,
    enabled: bool,
) -> Result<(), AppError> {
    ctx.lambda()
        .update_event_source_mapping()
        .uuid(uuid)
        .enabled(enabled)
        .send()
        .await
        .map(|_| ())
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!(
                    "turn {} the event source mapping",
                    if enabled { "on" } else { "off" }
                ),
                &ctx.endpoint(),
            )
        })
}

pub async fn delete_mapping(ctx: &AwsContext, uuid: &str) -> Result<(), AppError> {
    ctx.lambda()
        .delete_event_source_mapping()
        .uuid(uuid)
        .send()
        .await
        .map(|_| ())
        .map_err(|err| AppError::from_sdk(err, "delete the event source mapping", &ctx.endpoint()))
}

/// A mapping from the source to the function.
#[derive(Debug)]
pub struct CreateEventSourceMapping {
    pub function: String,
    pub source_arn: String,
    pub batch_size: i32,
    pub batching_window_seconds: i32,
    pub starting_position: Option<String>,
    /// The same plan attached the policy that lets the role read the source: Lambda's check of
    /// the role may not see it for a while, so a refusal for a missing permission is retried.
    pub policy_just_attached: bool,
    /// The id Lambda gives the mapping, once it is made.
    pub uuid: Mutex<Option<String>>,
}

impl CreateEventSourceMapping {
    async fn send(
        &self,
        ctx: &AwsContext,
    ) -> Result<
        aws_sdk_lambda::operation::create_event_source_mapping::CreateEventSourceMappingOutput,
        aws_sdk_lambda::error::SdkError<
            aws_sdk_lambda::operation::create_event_source_mapping::CreateEventSourceMappingError,
        >,
    > {
        ctx.lambda()
            .create_event_source_mapping()
            .function_name(&self.function)
            .event_source_arn(&self.source_arn)
            .batch_size(self.batch_size)
            .set_maximum_batching_window_in_seconds(
                (self.batching_window_seconds > 0).then_some(self.batching_window_seconds),
            )
            .set_starting_position(
                self.starting_position
                    .as_deref()
                    .map(aws_sdk_lambda::types::EventSourcePosition::from),
            )
            .send()
            .await
    }
}

impl Step for CreateEventSourceMapping {
    fn summary(&self) -> String {
        format!(
            "Have Lambda read {} and invoke {} with up to {} records at a time.",
            self.source_arn, self.function, self.batch_size
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let mut command = Command::new("lambda", "create-event-source-mapping")
            .option("function-name", &self.function)
            .option("event-source-arn", &self.source_arn)
            .option("batch-size", &self.batch_size.to_string());
        if self.batching_window_seconds > 0 {
            command = command.option(
                "maximum-batching-window-in-seconds",
                &self.batching_window_seconds.to_string(),
            );
        }
        command
            .option_if("starting-position", self.starting_position.as_deref())
            .target(target)
            .render()
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let mut tries = 1;
            let made = loop {
                match self.send(ctx).await {
                    Ok(made) => break made,
                    Err(err) => {
                        let waiting = self.policy_just_attached
                            && tries < super::propagation::TRIES
                            && err.as_service_error().is_some_and(|service| {
                                service.is_invalid_parameter_value_exception()
                                    && service
                                        .meta()
                                        .message()
                                        .is_some_and(|m| m.contains("does not have permission"))
                            });
                        if !waiting {
                            return Err(ctx
                                .failed(&format!("map {} to {}", self.source_arn, self.function))(
                                err,
                            ));
                        }
                        progress.say(format!(
                            "The role's new policy has not reached Lambda yet; trying again ({tries}/{}).",
                            super::propagation::TRIES
                        ));
                        tries += 1;
                        tokio::time::sleep(super::propagation::PAUSE).await;
                    }
                }
            };
            *self.uuid.lock().unwrap_or_else(PoisonError::into_inner) =
                made.uuid().map(str::to_owned);
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let uuid = self
                .uuid
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            match uuid {
                Some(uuid) => gone_is_removed(delete_mapping(ctx, &uuid).await),
                None => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_names_only_what_the_source_takes() {
        let target = CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let queue = CreateEventSourceMapping {
            function: "worker".into(),
            source_arn: "arn:aws:sqs:us-east-1:123456789012:orders".into(),
            batch_size: 10,
            batching_window_seconds: 0,
            starting_position: None,
            policy_just_attached: false,
            uuid: Mutex::default(),
        };
        assert_eq!(
            queue.cli(&target),
            "aws lambda create-event-source-mapping \\\n  --function-name worker \\\n  --event-source-arn arn:aws:sqs:us-east-1:123456789012:orders \\\n  --batch-size 10 \\\n  --region us-east-1"
        );
        let stream = CreateEventSourceMapping {
            source_arn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks".into(),
            batch_size: 100,
            batching_window_seconds: 5,
            starting_position: Some("LATEST".into()),
            ..queue
        };
        let cli = stream.cli(&target);
        assert!(
            cli.contains("--maximum-batching-window-in-seconds 5"),
            "{cli}"
        );
        assert!(cli.contains("--starting-position LATEST"), "{cli}");
    }
}
