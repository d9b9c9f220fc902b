//! Lambda functions: listing them, as the main screen shows them, reading, invoking and deleting
//! one, its code, and the plan steps that create one and change it.

mod code;
mod configuration;
mod invoke;
mod mappings;
mod permission;
mod propagation;
mod steps;
mod url;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) use code::fetch_code;
pub use code::{
    EDITABLE_MAX_BYTES, FileEdit, PackageContents, PackageEntry, UpdateFunctionCode,
    current_package, package_contents, read_package, rebuild_with_edits,
};
pub use configuration::{
    FunctionDetails, FunctionSettings, RetagFunction, UpdateConfiguration, function_details,
};
pub use invoke::{InvocationType, InvokeRequest, InvokeResult, invoke, run_locally};
pub use mappings::{
    CreateEventSourceMapping, MappingTrigger, delete_mapping, mappings, set_mapping_enabled,
};
pub use permission::{
    AddPermission, remove_permission, remove_permissions_for_source,
    remove_permissions_for_sources_under, statements_for_source,
};
pub use propagation::not_propagated;
pub use steps::{CreateFunction, FunctionCode, FunctionSpec, KeepCopy, send_create};
pub use url::{
    AllowPublicUrl, CreateFunctionUrl, FunctionUrl, UrlAuth, UrlCors, UrlRequest,
    delete_function_url, function_url, local_url, url_event,
};

use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::ledger::carries_owner_tag;
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Architecture {
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// An environment variable or a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// One row of the function list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionSummary {
    pub name: String,
    pub arn: String,
    /// `None` for a container-image function, which has no managed runtime.
    pub runtime: Option<String>,
    pub memory_mb: Option<i32>,
    /// As Lambda reports it: ISO 8601 with an offset, e.g. `2026-11-24T15:20:00.000+0000`.
    pub last_modified: Option<String>,
    pub description: Option<String>,
}

/// The functions of one account and region, tagged with the context they were listed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionList {
    pub context: ContextTag,
    pub functions: Vec<FunctionSummary>,
}

/// How many functions ListFunctions is asked for at a time (its most).
pub const FUNCTIONS_PAGE: i32 = 50;

/// How many regions are listed at once when every region is asked for: the 33 Lambda regions in a
/// few rounds, without a burst that a slow link or Lambda's throttling would punish.
pub const REGIONS_AT_ONCE: usize = 4;

/// One region's functions, or why they could not be listed (a region the account has not enabled
/// answers with an error, which leaves the other regions' lists whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionFunctions {
    pub region: String,
    pub list: Option<FunctionList>,
    pub error: Option<AppError>,
}

/// Every region's functions, `REGIONS_AT_ONCE` regions at a time; `open` gives a region's context
/// and `on_region` sees each region as it is done. Answers the regions in name order.
pub async fn list_functions_everywhere<Open, Opening>(
    regions: Vec<String>,
    open: Open,
    mut on_region: impl FnMut(&RegionFunctions),
) -> Vec<RegionFunctions>
where
    Open: Fn(String) -> Opening,
    Opening: std::future::Future<Output = Result<AwsContext, AppError>>,
{
    use futures_util::StreamExt;
    let mut listing = futures_util::stream::iter(regions)
        .map(|region| {
            let opening = open(region.clone());
            async move {
                let listed = match opening.await {
                    Ok(ctx) => list_functions(&ctx).await,
                    Err(error) => Err(error),
                };
                match listed {
                    Ok(list) => RegionFunctions {
                        region,
                        list: Some(list),
                        error: None,
                    },
                    Err(error) => RegionFunctions {
                        region,
                        list: None,
                        error: Some(error),
                    },
                }
            }
        })
        .buffer_unordered(REGIONS_AT_ONCE);
    let mut everywhere = Vec::new();
    while let Some(done) = listing.next().await {
        on_region(&done);
        everywhere.push(done);
    }
    everywhere.sort_by(|a, b| a.region.cmp(&b.region));
    everywhere
}

/// Every function in the context's account and region, sorted by name.
pub async fn list_functions(ctx: &AwsContext) -> Result<FunctionList, AppError> {
    list_functions_by_page(ctx, |_| {}).await
}

/// The same, a page at a time: `on_page` sees each page but the last as it arrives, so a long list
/// can show before it is whole. The last is not handed on: the whole list it completes is the
/// answer, and a list of one page (moto's, whatever its length) would otherwise cross to the page
/// twice.
pub async fn list_functions_by_page(
    ctx: &AwsContext,
    on_page: impl FnMut(&[FunctionSummary]),
) -> Result<FunctionList, AppError> {
    let client = ctx.lambda();
    Ok(FunctionList {
        context: ctx.tag(),
        functions: function_pages(client, &ctx.endpoint(), on_page).await?,
    })
}

/// The pages of ListFunctions, `FUNCTIONS_PAGE` at a time, following `NextMarker`.
pub async fn function_pages(
    client: &aws_sdk_lambda::Client,
    endpoint: &crate::error::Endpoint,
    mut on_page: impl FnMut(&[FunctionSummary]),
) -> Result<Vec<FunctionSummary>, AppError> {
    let mut functions = Vec::new();
    let mut marker = None;
    loop {
        let page = client
            .list_functions()
            .max_items(FUNCTIONS_PAGE)
            .set_marker(marker)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, "list functions", endpoint))?;
        let summaries: Vec<FunctionSummary> = page.functions().iter().map(summary_of).collect();
        marker = page
            .next_marker()
            .filter(|next| !next.is_empty())
            .map(str::to_owned);
        if marker.is_none() {
            functions.extend(summaries);
            break;
        }
        on_page(&summaries);
        functions.extend(summaries);
    }
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(functions)
}

fn summary_of(function: &aws_sdk_lambda::types::FunctionConfiguration) -> FunctionSummary {
    FunctionSummary {
        name: function.function_name().unwrap_or_default().to_owned(),
        arn: function.function_arn().unwrap_or_default().to_owned(),
        runtime: function
            .runtime()
            .map(|runtime| runtime.as_str().to_owned()),
        memory_mb: function.memory_size(),
        last_modified: function.last_modified().map(str::to_owned),
        description: function
            .description()
            .filter(|text| !text.is_empty())
            .map(str::to_owned),
    }
}

/// Deletes a function with its versions and aliases.
pub async fn delete_function(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    validate::function_name(name)?;
    ctx.lambda()
        .delete_function()
        .function_name(name)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(err, &format!("delete function {name}"), &ctx.endpoint())
        })?;
    tracing::info!(function = name, account = %ctx.account_id, region = %ctx.region, "deleted a function");
    Ok(())
}

/// Pairs as the JSON object the CLI takes for variables and tags.
pub(crate) fn json_object(pairs: &[KeyValue]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|pair| {
            (
                pair.key.clone(),
                serde_json::Value::String(pair.value.clone()),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The configuration in a GetFunction answer, which Lambda always sends.
pub(crate) fn configuration_of<'a>(
    found: &'a aws_sdk_lambda::operation::get_function::GetFunctionOutput,
    name: &str,
) -> Result<&'a aws_sdk_lambda::types::FunctionConfiguration, AppError> {
    found.configuration().ok_or_else(|| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Lambda returned no configuration for {name}."),
        )
    })
}

/// GetFunction: the function's configuration and where its code is.
pub(crate) async fn get_function(
    ctx: &AwsContext,
    name: &str,
) -> Result<aws_sdk_lambda::operation::get_function::GetFunctionOutput, AppError> {
    ctx.lambda()
        .get_function()
        .function_name(name)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(err, &format!("look up function {name}"), &ctx.endpoint())
        })
}

/// The function by that name in the context's account and region, if there is one.
async fn find_function(
    ctx: &AwsContext,
    name: &str,
) -> Result<Option<aws_sdk_lambda::operation::get_function::GetFunctionOutput>, AppError> {
    match get_function(ctx, name).await {
        Ok(found) => Ok(Some(found)),
        Err(error) if error.kind == ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Whether a function by that name exists in the context's account and region.
pub async fn function_exists(ctx: &AwsContext, name: &str) -> Result<bool, AppError> {
    Ok(find_function(ctx, name).await?.is_some())
}

/// Whether the function exists and carries the owner tag with `token`: made by the plan that
/// holds the token, not one of the user's of the same name.
pub async fn function_made_by(ctx: &AwsContext, name: &str, token: &str) -> Result<bool, AppError> {
    Ok(find_function(ctx, name)
        .await?
        .is_some_and(|found| carries_owner_tag(found.tags(), token)))
}

/// The function a Lambda ARN names (a rule's target, a mapping's function, an integration's
/// target), when it is in the context's account and region; a qualifier is dropped.
pub fn function_name_in<'a>(ctx: &AwsContext, arn: &'a str) -> Option<&'a str> {
    let prefix = format!(":lambda:{}:{}:function:", ctx.region, ctx.account_id);
    let (_, rest) = arn.split_once(&prefix)?;
    Some(rest.split(':').next().unwrap_or(rest))
}

/// Deletes a function with its event source mappings, which do not go with it (its permissions,
/// versions and aliases do).
pub async fn delete_function_with_mappings(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    let client = ctx.lambda();
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
    delete_function(ctx, name).await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn every_region_is_listed_a_bounded_number_at_a_time() {
        let regions: Vec<String> = crate::aws::regions().into_iter().map(|r| r.code).collect();
        let (open_now, most_open) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut seen = Vec::new();
        let everywhere = list_functions_everywhere(
            regions.clone(),
            |region| {
                let (open_now, most_open) = (&open_now, &most_open);
                async move {
                    let now = open_now.fetch_add(1, Ordering::SeqCst) + 1;
                    most_open.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    open_now.fetch_sub(1, Ordering::SeqCst);
                    Err(AppError::new(
                        ErrorKind::AccessDenied,
                        format!("{region} is not enabled"),
                    ))
                }
            },
            |done| seen.push(done.region.clone()),
        )
        .await;
        assert_eq!(most_open.load(Ordering::SeqCst), REGIONS_AT_ONCE);
        assert_eq!(
            seen.len(),
            regions.len(),
            "each region is told as it is done"
        );
        let mut sorted = regions.clone();
        sorted.sort();
        let answered: Vec<&str> = everywhere.iter().map(|r| r.region.as_str()).collect();
        assert_eq!(answered, sorted);
        let failed = &everywhere[0];
        assert!(failed.list.is_none());
        assert_eq!(
            failed.error.as_ref().unwrap().message,
            format!("{} is not enabled", failed.region)
        );
    }

    use super::*;

    #[test]
    fn targets_in_another_account_or_region_are_not_run_here() {
        let ctx = AwsContext::offline("us-east-1", "123456789012", true);
        assert_eq!(
            function_name_in(&ctx, "arn:aws:lambda:us-east-1:123456789012:function:hello"),
            Some("hello")
        );
        assert_eq!(
            function_name_in(
                &ctx,
                "arn:aws:lambda:us-east-1:123456789012:function:hello:live"
            ),
            Some("hello")
        );
        assert_eq!(
            function_name_in(&ctx, "arn:aws:lambda:eu-west-1:123456789012:function:hello"),
            None
        );
        assert_eq!(
            function_name_in(&ctx, "arn:aws:sqs:us-east-1:123456789012:queue"),
            None
        );
    }
}
