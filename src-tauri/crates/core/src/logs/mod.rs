//! CloudWatch Logs: where a function's log lines live. The local Lambda writes its runs here on
//! the Local sandbox, as Lambda does in an account.

use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};
use crate::local::LogLine;

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
    let client = aws_sdk_cloudwatchlogs::Client::new(&ctx.sdk_config);
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
