//! SQS, as triggers need it: the region's queues to pick a source from, and, for the sandbox
//! (whose Lambda polls nothing), receiving a batch and deleting what the function handled.

use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, MessageSystemAttributeName, QueueAttributeName,
};

use crate::aws::AwsContext;
use crate::error::AppError;

/// SQS hands out at most 10 messages per receive.
const RECEIVE_MAX: i32 = 10;

/// The ARN of every queue in the region.
pub async fn queue_arns(ctx: &AwsContext) -> Result<Vec<String>, AppError> {
    let urls = ctx
        .sqs()
        .list_queues()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(ctx.failed("list the SQS queues"))?;
    let mut arns = Vec::new();
    for url in urls {
        arns.push(queue_arn(ctx, &url).await?);
    }
    arns.sort();
    Ok(arns)
}

async fn queue_arn(ctx: &AwsContext, url: &str) -> Result<String, AppError> {
    let answer = ctx
        .sqs()
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(ctx.failed("read a queue's ARN"))?;
    Ok(answer
        .attributes()
        .and_then(|attributes| attributes.get(&QueueAttributeName::QueueArn))
        .cloned()
        .unwrap_or_default())
}

/// The URL of the queue an ARN names, in the context's account and region.
pub async fn queue_url(ctx: &AwsContext, arn: &str) -> Result<String, AppError> {
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let account = arn.split(':').nth(4).unwrap_or_default();
    let answer = ctx
        .sqs()
        .get_queue_url()
        .queue_name(name)
        .queue_owner_aws_account_id(account)
        .send()
        .await
        .map_err(ctx.failed(&format!("find queue {name}")))?;
    Ok(answer.queue_url().unwrap_or_default().to_owned())
}

/// A message received, as a Lambda SQS event record needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    pub md5_of_body: String,
    pub attributes: Vec<(String, String)>,
}

/// Receives up to `count` messages (at most 10, as SQS gives), without waiting.
pub async fn receive(ctx: &AwsContext, url: &str, count: i32) -> Result<Vec<Received>, AppError> {
    let answer = ctx
        .sqs()
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(count.clamp(1, RECEIVE_MAX))
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .map_err(ctx.failed("receive messages"))?;
    Ok(answer
        .messages()
        .iter()
        .map(|message| Received {
            message_id: message.message_id().unwrap_or_default().to_owned(),
            receipt_handle: message.receipt_handle().unwrap_or_default().to_owned(),
            body: message.body().unwrap_or_default().to_owned(),
            md5_of_body: message.md5_of_body().unwrap_or_default().to_owned(),
            attributes: message
                .attributes()
                .into_iter()
                .flatten()
                .map(|(name, value)| (name.as_str().to_owned(), value.clone()))
                .collect(),
        })
        .collect())
}

/// Deletes handled messages by their receipt handles.
pub async fn delete(ctx: &AwsContext, url: &str, handled: &[Received]) -> Result<(), AppError> {
    if handled.is_empty() {
        return Ok(());
    }
    let entries = handled
        .iter()
        .enumerate()
        .map(|(index, message)| {
            DeleteMessageBatchRequestEntry::builder()
                .id(index.to_string())
                .receipt_handle(&message.receipt_handle)
                .build()
                .map_err(|err| AppError::new(crate::ErrorKind::Unknown, err.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    ctx.sqs()
        .delete_message_batch()
        .queue_url(url)
        .set_entries(Some(entries))
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed("delete handled messages"))
}
