//! Clean up: removing what Lambdesk created, each resource with what hangs on it (a role with its
//! policies, a function with its event source mappings and permissions, a bucket with its objects).

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};
use crate::ledger::{Ledger, LedgerEntry, ResourceKind};
use crate::{roles, storage};

/// Removes one resource. One that is already gone counts as removed.
pub async fn remove_resource(ctx: &AwsContext, entry: &LedgerEntry) -> Result<(), AppError> {
    let result = match entry.kind {
        ResourceKind::Role => roles::delete_role_with_policies(ctx, &entry.name).await,
        ResourceKind::Function => delete_function_with_mappings(ctx, &entry.name).await,
        ResourceKind::Bucket => storage::delete_bucket_with_objects(ctx, &entry.name).await,
        ResourceKind::Object => match &entry.bucket {
            Some(bucket) => storage::delete_object(ctx, bucket, &entry.name).await,
            None => Ok(()),
        },
    };
    gone_is_removed(result)
}

/// A resource that is already gone counts as removed.
pub(crate) fn gone_is_removed(result: Result<(), AppError>) -> Result<(), AppError> {
    match result {
        Err(error) if error.kind == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// A function's resource policy (its permissions) goes with it; its event source mappings do not,
/// so they are deleted first.
async fn delete_function_with_mappings(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    let client = aws_sdk_lambda::Client::new(&ctx.sdk_config);
    let doing = format!("delete function {name}");
    let mappings = client
        .list_event_source_mappings()
        .function_name(name)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    for mapping in mappings {
        if let Some(uuid) = mapping.uuid() {
            client
                .delete_event_source_mapping()
                .uuid(uuid)
                .send()
                .await
                .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
        }
    }
    crate::functions::delete_function(ctx, name).await
}

/// Removes a resource the ledger lists and forgets it.
pub async fn clean_up(
    ctx: &AwsContext,
    ledger: &Ledger,
    entry: &LedgerEntry,
) -> Result<(), AppError> {
    remove_resource(ctx, entry).await?;
    ledger.forget(&ctx.account_id, &ctx.region, entry)?;
    tracing::info!(kind = ?entry.kind, name = %entry.name, account = %ctx.account_id, region = %ctx.region, "cleaned up");
    Ok(())
}
