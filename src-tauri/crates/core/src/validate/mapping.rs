//! What Lambda accepts for an event source mapping: the source's ARN (an SQS queue, a Kinesis
//! stream or a DynamoDB stream, in the function's region), a batch size within that source's
//! limits, a batching window, and a starting position where the source is a stream.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::invalid;
use crate::error::AppError;

const WINDOW_MAX_SECONDS: i32 = 300;

/// The sources a mapping can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SourceKind {
    Sqs,
    Kinesis,
    DynamoDbStream,
}

impl SourceKind {
    /// The largest batch Lambda takes from this source; a FIFO queue takes 10.
    pub fn batch_max(self, fifo: bool) -> i32 {
        match self {
            SourceKind::Sqs if fifo => 10,
            SourceKind::Sqs | SourceKind::Kinesis | SourceKind::DynamoDbStream => 10_000,
        }
    }

    /// Lambda's default batch size for the source.
    pub fn batch_default(self) -> i32 {
        match self {
            SourceKind::Sqs => 10,
            SourceKind::Kinesis | SourceKind::DynamoDbStream => 100,
        }
    }

    pub fn is_stream(self) -> bool {
        self != SourceKind::Sqs
    }
}

/// A source named by its ARN: its kind, and whether it is a FIFO queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceArn {
    pub kind: SourceKind,
    pub fifo: bool,
    pub name: String,
}

/// Parses the source's ARN; it must be in `region`, as Lambda requires.
pub fn event_source_arn(value: &str, region: &str) -> Result<SourceArn, AppError> {
    let hint = "Pick the source from the list, or paste an ARN such as arn:aws:sqs:us-east-1:123456789012:orders.";
    let parts: Vec<&str> = value.trim().splitn(6, ':').collect();
    let [arn, partition, service, arn_region, account, resource] = parts.as_slice() else {
        return Err(invalid(
            "eventSourceArn",
            format!("\"{value}\" is not an ARN."),
            hint,
        ));
    };
    let well_formed = *arn == "arn"
        && partition.starts_with("aws")
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit());
    let kind = match (*service, resource.split('/').collect::<Vec<_>>().as_slice()) {
        ("sqs", [queue]) if !queue.is_empty() => Some((SourceKind::Sqs, *queue)),
        ("kinesis", ["stream", stream]) if !stream.is_empty() => {
            Some((SourceKind::Kinesis, *stream))
        }
        ("dynamodb", ["table", table, "stream", label])
            if !table.is_empty() && !label.is_empty() =>
        {
            Some((SourceKind::DynamoDbStream, *table))
        }
        _ => None,
    };
    let (Some((kind, name)), true) = (kind, well_formed) else {
        return Err(invalid(
            "eventSourceArn",
            format!(
                "\"{value}\" is not the ARN of an SQS queue, a Kinesis stream or a DynamoDB stream."
            ),
            hint,
        ));
    };
    if *arn_region != region {
        return Err(invalid(
            "eventSourceArn",
            format!("The source is in {arn_region}, but the function is in {region}."),
            "Lambda reads sources in the function's own region: pick one there.",
        ));
    }
    Ok(SourceArn {
        kind,
        fifo: kind == SourceKind::Sqs && name.ends_with(".fifo"),
        name: name.to_owned(),
    })
}

/// The batch size, batching window and starting position Lambda accepts for the source.
pub fn mapping_settings(
    source: &SourceArn,
    batch_size: i32,
    window_seconds: i32,
    starting_position: Option<&str>,
) -> Result<(), AppError> {
    let max = source.kind.batch_max(source.fifo);
    if !(1..=max).contains(&batch_size) {
        return Err(invalid(
            "batchSize",
            format!("Batch size must be from 1 to {max} for this source."),
            if source.fifo {
                "A FIFO queue gives Lambda at most 10 messages at a time."
            } else {
                "Lower the batch size."
            },
        ));
    }
    if !(0..=WINDOW_MAX_SECONDS).contains(&window_seconds) {
        return Err(invalid(
            "batchingWindowSeconds",
            format!("Batching window must be from 0 to {WINDOW_MAX_SECONDS} seconds."),
            "Use 0 to invoke as soon as records arrive.",
        ));
    }
    if source.kind == SourceKind::Sqs && batch_size > 10 && window_seconds < 1 {
        return Err(invalid(
            "batchingWindowSeconds",
            "A batch of more than 10 messages needs a batching window of at least 1 second.",
            "Set the batching window to 1 second or more, or the batch size to 10 or less.",
        ));
    }
    match (source.kind.is_stream(), starting_position) {
        (true, Some("TRIM_HORIZON" | "LATEST")) | (false, None) => Ok(()),
        (true, _) => Err(invalid(
            "startingPosition",
            "A stream needs a starting position: TRIM_HORIZON (the oldest record) or LATEST.",
            "Choose where in the stream Lambda starts reading.",
        )),
        (false, Some(_)) => Err(invalid(
            "startingPosition",
            "A queue has no starting position.",
            "Leave the starting position empty for SQS.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart_by_their_arns() {
        let queue =
            event_source_arn("arn:aws:sqs:us-east-1:123456789012:orders", "us-east-1").unwrap();
        assert_eq!((queue.kind, queue.fifo), (SourceKind::Sqs, false));
        let fifo = event_source_arn(
            "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
            "us-east-1",
        )
        .unwrap();
        assert!(fifo.fifo);
        let stream = event_source_arn(
            "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
            "us-east-1",
        )
        .unwrap();
        assert_eq!(stream.kind, SourceKind::Kinesis);
        let table = event_source_arn(
            "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-12-02T10:00:00.000",
            "us-east-1",
        )
        .unwrap();
        assert_eq!(
            (table.kind, table.name.as_str()),
            (SourceKind::DynamoDbStream, "Orders")
        );
        for bad in [
            "orders",
            "arn:aws:s3:::bucket",
            "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
            "arn:aws:sqs:us-east-1:12345:orders",
        ] {
            assert_eq!(
                event_source_arn(bad, "us-east-1")
                    .unwrap_err()
                    .field
                    .as_deref(),
                Some("eventSourceArn"),
                "{bad}"
            );
        }
        let elsewhere =
            event_source_arn("arn:aws:sqs:eu-west-1:123456789012:orders", "us-east-1").unwrap_err();
        assert!(elsewhere.message.contains("eu-west-1"));
    }

    #[test]
    fn batch_sizes_windows_and_positions_follow_each_sources_limits() {
        let queue = event_source_arn("arn:aws:sqs:us-east-1:123456789012:q", "us-east-1").unwrap();
        let fifo =
            event_source_arn("arn:aws:sqs:us-east-1:123456789012:q.fifo", "us-east-1").unwrap();
        let stream = event_source_arn(
            "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "us-east-1",
        )
        .unwrap();
        assert!(mapping_settings(&queue, 10, 0, None).is_ok());
        assert!(mapping_settings(&queue, 100, 5, None).is_ok());
        let field = |result: Result<(), AppError>| result.unwrap_err().field.unwrap();
        assert_eq!(
            field(mapping_settings(&queue, 100, 0, None)),
            "batchingWindowSeconds"
        );
        assert_eq!(field(mapping_settings(&queue, 0, 0, None)), "batchSize");
        assert_eq!(field(mapping_settings(&fifo, 11, 1, None)), "batchSize");
        assert_eq!(
            field(mapping_settings(&queue, 10, 301, None)),
            "batchingWindowSeconds"
        );
        assert_eq!(
            field(mapping_settings(&queue, 10, 0, Some("LATEST"))),
            "startingPosition"
        );
        assert_eq!(
            field(mapping_settings(&stream, 100, 0, None)),
            "startingPosition"
        );
        assert!(mapping_settings(&stream, 10_000, 0, Some("TRIM_HORIZON")).is_ok());
        assert_eq!(
            field(mapping_settings(&stream, 10_001, 0, Some("LATEST"))),
            "batchSize"
        );
    }
}
