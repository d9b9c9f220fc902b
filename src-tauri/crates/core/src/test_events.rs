//! Test events: the templates a new event starts from, and the events a user saved, up to ten per
//! function, kept on this machine per account, region and function (as the console keeps its
//! private test events).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::{blueprints, validate};

pub const MAX_SAVED_EVENTS: usize = 10;

/// The shapes a newcomer meets first, from the AWS documentation's sample events.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "hello-world",
        "Hello world",
        include_str!("../data/events/hello-world.json"),
    ),
    (
        "apigateway-proxy",
        "API Gateway proxy request",
        include_str!("../data/events/apigateway-proxy.json"),
    ),
    (
        "s3-put",
        "S3 put",
        include_str!("../data/events/s3-put.json"),
    ),
    (
        "sqs",
        "SQS message",
        include_str!("../data/events/sqs.json"),
    ),
    (
        "scheduled",
        "Scheduled event (EventBridge)",
        include_str!("../data/events/scheduled.json"),
    ),
    (
        "dynamodb-stream",
        "DynamoDB stream record",
        include_str!("../data/events/dynamodb-stream.json"),
    ),
];

/// An event a new test event may start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventTemplate {
    pub id: String,
    pub name: String,
    pub body: String,
}

/// The templates, then each blueprint's sample event.
pub fn templates() -> Vec<EventTemplate> {
    let standard = TEMPLATES.iter().map(|(id, name, body)| EventTemplate {
        id: (*id).to_owned(),
        name: (*name).to_owned(),
        body: (*body).to_owned(),
    });
    let samples = blueprints::blueprints()
        .iter()
        .filter(|blueprint| !blueprint.sample_event.trim().is_empty())
        .map(|blueprint| EventTemplate {
            id: format!("blueprint:{}", blueprint.id),
            name: format!("Sample event of {}", blueprint.name),
            body: blueprint.sample_event.clone(),
        });
    standard.chain(samples).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedEvent {
    pub name: String,
    /// The event, as JSON text, kept as the user wrote it.
    pub body: String,
}

/// A function's saved events, tagged with the context they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedEvents {
    pub context: ContextTag,
    pub function_name: String,
    pub events: Vec<SavedEvent>,
}

/// The saved events under the app's data folder: one JSON file per account, region and function.
#[derive(Debug, Clone)]
pub struct TestEventStore {
    dir: PathBuf,
}

impl TestEventStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("test-events"),
        }
    }

    pub fn list(&self, ctx: &AwsContext, function: &str) -> Result<SavedEvents, AppError> {
        let events = self.read(&self.path(ctx, function)?)?;
        Ok(self.tagged(ctx, function, events))
    }

    /// Saves an event under its name, replacing one of the same name; an eleventh is refused.
    pub fn save(
        &self,
        ctx: &AwsContext,
        function: &str,
        event: SavedEvent,
    ) -> Result<SavedEvents, AppError> {
        validate::test_event_name(&event.name)?;
        validate::invoke_payload(event.body.as_bytes(), false)?;
        let path = self.path(ctx, function)?;
        let mut events = self.read(&path)?;
        match events.iter().position(|saved| saved.name == event.name) {
            Some(index) => events[index].body = event.body,
            None if events.len() >= MAX_SAVED_EVENTS => {
                return Err(AppError::new(
                    ErrorKind::LimitExceeded,
                    format!(
                        "{function} already has {MAX_SAVED_EVENTS} saved events, the most a \
                         function may have."
                    ),
                )
                .with_hint("Delete one you no longer need, or save over one of the same name.")
                .with_field("eventName"));
            }
            None => events.push(event),
        }
        self.write(&path, &events)?;
        Ok(self.tagged(ctx, function, events))
    }

    pub fn delete(
        &self,
        ctx: &AwsContext,
        function: &str,
        name: &str,
    ) -> Result<SavedEvents, AppError> {
        let path = self.path(ctx, function)?;
        let mut events = self.read(&path)?;
        events.retain(|saved| saved.name != name);
        self.write(&path, &events)?;
        Ok(self.tagged(ctx, function, events))
    }

    /// The file of one function's events. The function name is checked first, so it is a plain
    /// file name; the account and region come from the context, not from the page.
    fn path(&self, ctx: &AwsContext, function: &str) -> Result<PathBuf, AppError> {
        validate::function_name(function)?;
        Ok(self
            .dir
            .join(&ctx.account_id)
            .join(&ctx.region)
            .join(format!("{function}.json")))
    }

    fn read(&self, path: &Path) -> Result<Vec<SavedEvent>, AppError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!(
                        "The saved events in {} are unreadable: {err}",
                        path.display()
                    ),
                )
                .with_hint("Delete that file to start again with no saved events.")
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(storage_error(path, &err)),
        }
    }

    fn write(&self, path: &Path, events: &[SavedEvent]) -> Result<(), AppError> {
        let text = serde_json::to_vec_pretty(events).map_err(|err| {
            AppError::new(
                ErrorKind::Unknown,
                format!("Could not encode the events: {err}"),
            )
        })?;
        let parent = path.parent().unwrap_or(path);
        let partial = path.with_extension("json.partial");
        std::fs::create_dir_all(parent)
            .and_then(|()| std::fs::write(&partial, text))
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|err| storage_error(path, &err))
    }

    fn tagged(&self, ctx: &AwsContext, function: &str, events: Vec<SavedEvent>) -> SavedEvents {
        SavedEvents {
            context: ctx.tag(),
            function_name: function.to_owned(),
            events,
        }
    }
}

fn storage_error(path: &Path, err: &std::io::Error) -> AppError {
    AppError::new(
        ErrorKind::Unknown,
        format!(
            "Could not keep the saved events in {}: {err}",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_an_event_lambda_accepts() {
        let all = templates();
        assert!(
            all.len() >= TEMPLATES.len() + 2,
            "blueprint samples are offered too"
        );
        for template in all {
            validate::invoke_payload(template.body.as_bytes(), false)
                .unwrap_or_else(|error| panic!("{}: {}", template.id, error.message));
        }
    }
}
