//! CloudWatch Logs: where a function's log lines live. The local Lambda writes its runs here on
//! the Local sandbox, as Lambda does in an account; the function page reads its streams back, and
//! the log explorer (`explore`) queries any group and follows it (`live`).

mod explore;
mod live;

pub use explore::{
    FoundEvent, LogEventsPage, LogGroupPage, LogGroupSummary, LogQuery, PollingTail, filter_events,
    log_groups,
};
pub use live::{LiveTail, Tail, TailMode, TailStarted};

use aws_sdk_cloudwatchlogs::types::{InputLogEvent, OrderBy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::local::LogLine;
use crate::validate;

/// How many streams, and how many of a stream's last events, the first logs view shows.
const STREAMS_SHOWN: i32 = 50;
const EVENTS_SHOWN: i32 = 1_000;

/// One log stream, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogStreamSummary {
    pub name: String,
    #[ts(type = "number | null")]
    pub last_event_ms: Option<i64>,
}

/// A function's log streams, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogStreams {
    pub context: ContextTag,
    pub group: String,
    /// Whether the group exists: it does not until the function has written a line.
    pub group_exists: bool,
    pub streams: Vec<LogStreamSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    #[ts(type = "number")]
    pub timestamp_ms: i64,
    pub message: String,
}

/// The last events of one stream, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StreamEvents {
    pub context: ContextTag,
    pub group: String,
    pub stream: String,
    pub events: Vec<LogEvent>,
}

/// An event's message as a line: CloudWatch keeps the newline a `print` ends with.
fn line_of(message: Option<&str>) -> String {
    message
        .unwrap_or_default()
        .trim_end_matches('\n')
        .to_owned()
}

/// The log group Lambda writes a function's lines to.
pub fn function_log_group(function_name: &str) -> String {
    format!("/aws/lambda/{function_name}")
}

/// The function's log streams, the one written last first.
pub async fn function_streams(
    ctx: &AwsContext,
    function_name: &str,
) -> Result<LogStreams, AppError> {
    validate::function_name(function_name)?;
    let group = function_log_group(function_name);
    let answer = ctx
        .logs()
        .describe_log_streams()
        .log_group_name(&group)
        .order_by(OrderBy::LastEventTime)
        .descending(true)
        .limit(STREAMS_SHOWN)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("list the streams of {group}"),
                &ctx.endpoint(),
            )
        });
    let streams = match answer {
        Ok(answer) => answer.log_streams().to_vec(),
        Err(error) if error.kind == ErrorKind::NotFound => {
            return Ok(LogStreams {
                context: ctx.tag(),
                group,
                group_exists: false,
                streams: Vec::new(),
            });
        }
        Err(error) => return Err(error),
    };
    let mut streams: Vec<LogStreamSummary> = streams
        .iter()
        .map(|stream| LogStreamSummary {
            name: stream.log_stream_name().unwrap_or_default().to_owned(),
            last_event_ms: stream.last_event_timestamp().or(stream.creation_time()),
        })
        .collect();
    // Some endpoints ignore the order asked for; newest first is what the page promises.
    streams.sort_by_key(|stream| std::cmp::Reverse(stream.last_event_ms));
    Ok(LogStreams {
        context: ctx.tag(),
        group,
        group_exists: true,
        streams,
    })
}

/// The last events of one of the function's streams.
pub async fn stream_events(
    ctx: &AwsContext,
    function_name: &str,
    stream: &str,
) -> Result<StreamEvents, AppError> {
    validate::function_name(function_name)?;
    validate::log_stream_name(stream)?;
    let group = function_log_group(function_name);
    let answer = ctx
        .logs()
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(stream)
        .start_from_head(false)
        .limit(EVENTS_SHOWN)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("read the log stream {stream}"),
                &ctx.endpoint(),
            )
        })?;
    Ok(StreamEvents {
        context: ctx.tag(),
        group,
        stream: stream.to_owned(),
        events: answer
            .events()
            .iter()
            .map(|event| LogEvent {
                timestamp_ms: event.timestamp().unwrap_or_default(),
                message: line_of(event.message()),
            })
            .collect(),
    })
}

/// PutLogEvents takes at most 10,000 events and about 1 MB (each event counts 26 bytes more).
const MAX_BATCH_EVENTS: usize = 10_000;
const MAX_BATCH_BYTES: usize = 1_000_000;
const EVENT_OVERHEAD_BYTES: usize = 26;

/// Appends lines to a stream, making the group and the stream first when they are missing.
pub async fn append(
    ctx: &AwsContext,
    group: &str,
    stream: &str,
    lines: &[LogLine],
) -> Result<(), AppError> {
    let client = ctx.logs();
    let endpoint = ctx.endpoint();
    let made = client.create_log_group().log_group_name(group).send().await;
    already_there(
        made.map_err(|err| {
            AppError::from_sdk(err, &format!("create log group {group}"), &endpoint)
        }),
    )?;
    let made = client
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await;
    already_there(made.map_err(|err| {
        AppError::from_sdk(err, &format!("create log stream {stream}"), &endpoint)
    }))?;
    for batch in batches(lines) {
        client
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .set_log_events(Some(batch))
            .send()
            .await
            .map_err(|err| {
                AppError::from_sdk(err, &format!("write the log to {group}"), &endpoint)
            })?;
    }
    Ok(())
}

fn already_there(result: Result<impl Sized, AppError>) -> Result<(), AppError> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.kind == ErrorKind::Conflict => Ok(()),
        Err(error) => Err(error),
    }
}

fn batches(lines: &[LogLine]) -> Vec<Vec<InputLogEvent>> {
    let mut batches = Vec::new();
    let mut batch = Vec::new();
    let mut bytes = 0;
    for line in lines {
        let size = line.message.len() + EVENT_OVERHEAD_BYTES;
        if !batch.is_empty() && (batch.len() == MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)
        {
            batches.push(std::mem::take(&mut batch));
            bytes = 0;
        }
        // CloudWatch Logs refuses an empty message.
        let message = if line.message.is_empty() {
            " ".to_owned()
        } else {
            line.message.clone()
        };
        batch.push(
            InputLogEvent::builder()
                .timestamp(line.timestamp_ms)
                .message(message)
                .build()
                .expect("timestamp and message are set"),
        );
        bytes += size;
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}
