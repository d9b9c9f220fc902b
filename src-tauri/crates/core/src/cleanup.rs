//! Clean up: removing what Lambdesk created, and only that. The caller names a ledger entry by its
//! id; what the ledger does not list for the account and region is refused, so no page can have
//! Lambdesk delete a resource it did not make. Each resource goes with what hangs on it (a role
//! with its policies, a function with its event source mappings, a bucket with its objects, a
//! rule with its targets).

use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::ledger::{EntryState, Ledger, LedgerEntry, ResourceKind};
use crate::{apigateway, events, iam, lambda, s3};

/// Removes one resource. One that is already gone counts as removed.
async fn remove_resource(ctx: &AwsContext, entry: &LedgerEntry) -> Result<(), AppError> {
    let result = match entry.kind {
        ResourceKind::Role => iam::delete_role_with_policies(ctx, &entry.name).await,
        ResourceKind::Function => lambda::delete_function_with_mappings(ctx, &entry.name).await,
        ResourceKind::Bucket => s3::delete_bucket_with_objects(ctx, &entry.name).await,
        ResourceKind::Rule => remove_rule(ctx, entry).await,
        ResourceKind::RestApi => remove_rest_api(ctx, entry).await,
        ResourceKind::ApiKey => apigateway::delete_api_key(ctx, assigned_id(entry)?).await,
        ResourceKind::UsagePlan => apigateway::delete_usage_plan(ctx, assigned_id(entry)?).await,
        ResourceKind::Object => match &entry.bucket {
            Some(bucket) => s3::delete_object(ctx, bucket, &entry.name).await,
            None => Ok(()),
        },
    };
    gone_is_removed(result)
}

/// A rule goes with its targets, and with the permission it was given to invoke the function it
/// was made for.
async fn remove_rule(ctx: &AwsContext, entry: &LedgerEntry) -> Result<(), AppError> {
    if let Some(arn) = &entry.arn
        && !entry.created_for.is_empty()
    {
        // A function that is gone took its permissions with it.
        gone_is_removed(lambda::remove_permissions_for_source(ctx, &entry.created_for, arn).await)?;
    }
    events::delete_rule_with_targets(ctx, &entry.name).await
}

/// The id AWS assigned to an API Gateway resource, kept in its entry's ARN. An entry without one
/// was recorded before a call whose answer never came, and its id was never learnt.
fn assigned_id(entry: &LedgerEntry) -> Result<&str, AppError> {
    entry
        .arn
        .as_deref()
        .and_then(apigateway::id_in_arn)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!(
                    "Lambdesk never learnt the id of the API Gateway resource {}, so it cannot tell it from others of that name.",
                    entry.name
                ),
            )
            .with_hint("Look for it in the API Gateway console and delete it there if it exists.")
        })
}

/// An API goes with the permissions it was given to invoke the function it was made for.
async fn remove_rest_api(ctx: &AwsContext, entry: &LedgerEntry) -> Result<(), AppError> {
    let id = assigned_id(entry)?;
    if !entry.created_for.is_empty() {
        let prefix = apigateway::execute_api_prefix(&ctx.region, &ctx.account_id, id);
        gone_is_removed(
            lambda::remove_permissions_for_sources_under(ctx, &entry.created_for, &prefix).await,
        )?;
    }
    apigateway::delete_rest_api(ctx, id).await
}

/// The entry as Clean up removes it, or `None` when nothing of Lambdesk's is there to remove: a
/// plan recorded it before a call whose answer never came, and marked what it made with the owner
/// tag, so a resource of that name is Lambdesk's only if it carries the entry's token (and the id
/// of an API, API key or usage plan is learnt from it).
async fn made_by_lambdesk(
    ctx: &AwsContext,
    entry: LedgerEntry,
) -> Result<Option<LedgerEntry>, AppError> {
    let (EntryState::Unconfirmed, Some(token)) = (entry.state, entry.owner_token.as_deref()) else {
        return Ok(Some(entry));
    };
    let made = match entry.kind {
        ResourceKind::Role => iam::role_made_by(ctx, &entry.name, token).await?,
        ResourceKind::Function => lambda::function_made_by(ctx, &entry.name, token).await?,
        ResourceKind::Rule => events::rule_made_by(ctx, &entry.name, token).await?,
        ResourceKind::RestApi | ResourceKind::ApiKey | ResourceKind::UsagePlan => {
            let arn = apigateway::assigned_made_by(ctx, entry.kind, &entry.name, token).await?;
            return Ok(arn.map(|arn| LedgerEntry {
                arn: Some(arn),
                ..entry
            }));
        }
        _ => true,
    };
    Ok(made.then_some(entry))
}

/// Removes the resource the ledger lists under `id` for the context's account and region, and
/// forgets it. Anything else is refused and nothing is deleted.
pub async fn clean_up(ctx: &AwsContext, ledger: &Ledger, id: &str) -> Result<(), AppError> {
    let Some(entry) = ledger.entry(&ctx.account_id, &ctx.region, id)? else {
        return Err(AppError::new(
            ErrorKind::NotFound,
            format!(
                "Lambdesk's ledger lists no \"{id}\" in account {}, region {}, so Clean up will not delete it.",
                ctx.account_id, ctx.region
            ),
        )
        .with_hint(
            "Clean up removes only what Lambdesk created in this account and region. Refresh the list; delete anything else in the AWS console or with the aws CLI.",
        ));
    };
    let id = entry.id.clone();
    match made_by_lambdesk(ctx, entry).await? {
        Some(entry) => {
            remove_resource(ctx, &entry).await?;
            tracing::info!(kind = ?entry.kind, name = %entry.name, account = %ctx.account_id, region = %ctx.region, "cleaned up");
        }
        None => tracing::info!(%id, "an unconfirmed resource was never made; forgotten"),
    }
    ledger.forget(&ctx.account_id, &ctx.region, &id)?;
    Ok(())
}
