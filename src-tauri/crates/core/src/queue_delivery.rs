//! The sandbox's SQS triggers, delivered while the app is open. moto stores event source mappings
//! but runs no function; on the Local sandbox Lambdesk polls each enabled SQS mapping as Lambda
//! does: it receives a batch (up to the mapping's batch size, 10 at most per receive), invokes the
//! function with the SQS event through the local Lambda, and deletes the batch when the function
//! succeeded. A failed batch is left to come back when its visibility timeout ends, as in Lambda.

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};
use crate::lambda::{self, InvocationType, InvokeRequest};
use crate::local::LocalLambda;
use crate::sqs::{self, Received};
use crate::validate::SourceKind;

/// A batch handed to a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub queue_arn: String,
    pub function: String,
    pub messages: usize,
    pub succeeded: bool,
}

/// The event Lambda sends a function for a batch of SQS messages.
fn sqs_event(ctx: &AwsContext, queue_arn: &str, batch: &[Received]) -> String {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|message| {
            let mut record = SqsMessage::default();
            record.message_id = Some(message.message_id.clone());
            record.receipt_handle = Some(message.receipt_handle.clone());
            record.body = Some(message.body.clone());
            record.md5_of_body = Some(message.md5_of_body.clone());
            record.attributes = message.attributes.iter().cloned().collect();
            record.event_source = Some("aws:sqs".to_owned());
            record.event_source_arn = Some(queue_arn.to_owned());
            record.aws_region = Some(ctx.region.clone());
            record
        })
        .collect();
    serde_json::to_string(&event).unwrap_or_default()
}

/// Delivers one batch to each enabled SQS mapping of the context that has messages waiting.
pub async fn deliver(ctx: &AwsContext, local: &LocalLambda) -> Result<Vec<Delivered>, AppError> {
    if !ctx.runs_code_locally {
        return Ok(Vec::new());
    }
    let mut delivered = Vec::new();
    for mapping in lambda::mappings(ctx, None).await? {
        if mapping.kind != Some(SourceKind::Sqs) || !mapping.enabled() {
            continue;
        }
        let Some(function) = lambda::function_name_in(ctx, &mapping.function_arn) else {
            continue;
        };
        // A queue deleted since the mappings were read has nothing to deliver.
        let url = match sqs::queue_url(ctx, &mapping.source_arn).await {
            Err(error) if error.kind == ErrorKind::NotFound => continue,
            other => other?,
        };
        let batch = match sqs::receive(ctx, &url, mapping.batch_size.unwrap_or(10)).await {
            Err(error) if error.kind == ErrorKind::NotFound => continue,
            other => other?,
        };
        if batch.is_empty() {
            continue;
        }
        let request = InvokeRequest {
            function_name: function.to_owned(),
            payload: sqs_event(ctx, &mapping.source_arn, &batch),
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        };
        let succeeded = match lambda::invoke(ctx, local, &request).await {
            Ok(result) => result.function_error.is_none(),
            Err(error) => {
                tracing::warn!(%error, function, queue = %mapping.source_arn, "a queue's batch could not be delivered");
                false
            }
        };
        if succeeded {
            sqs::delete(ctx, &url, &batch).await?;
        }
        delivered.push(Delivered {
            queue_arn: mapping.source_arn.clone(),
            function: function.to_owned(),
            messages: batch.len(),
            succeeded,
        });
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_is_lambdas_sqs_event() {
        let ctx = AwsContext::offline("us-east-1", "123456789012", true);
        let batch = [Received {
            message_id: "m1".into(),
            receipt_handle: "r1".into(),
            body: "{\"order\": 7}".into(),
            md5_of_body: "abc".into(),
            attributes: vec![("ApproximateReceiveCount".into(), "1".into())],
        }];
        let event: serde_json::Value = serde_json::from_str(&sqs_event(
            &ctx,
            "arn:aws:sqs:us-east-1:123456789012:orders",
            &batch,
        ))
        .unwrap();
        let record = &event["Records"][0];
        assert_eq!(record["messageId"], "m1");
        assert_eq!(record["body"], "{\"order\": 7}");
        assert_eq!(record["eventSource"], "aws:sqs");
        assert_eq!(
            record["eventSourceARN"],
            "arn:aws:sqs:us-east-1:123456789012:orders"
        );
        assert_eq!(record["awsRegion"], "us-east-1");
        assert_eq!(record["attributes"]["ApproximateReceiveCount"], "1");
    }
}
