//! Lambda functions: listing them, as the main screen shows them, and deleting one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag};
use crate::error::AppError;
use crate::validate;

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

/// Every function in the context's account and region, sorted by name, through the paginator so
/// accounts with more than a page of functions are listed whole.
pub async fn list_functions(ctx: &AwsContext) -> Result<FunctionList, AppError> {
    let client = aws_sdk_lambda::Client::new(&ctx.sdk_config);
    let mut pages = client.list_functions().into_paginator().items().send();
    let mut functions = Vec::new();
    while let Some(item) = pages.next().await {
        let function =
            item.map_err(|err| AppError::from_sdk(err, "list functions", &ctx.endpoint()))?;
        functions.push(FunctionSummary {
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
        });
    }
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(FunctionList {
        context: ctx.tag(),
        functions,
    })
}

/// Deletes a function with its versions and aliases.
pub async fn delete_function(ctx: &AwsContext, name: &str) -> Result<(), AppError> {
    validate::function_name(name)?;
    aws_sdk_lambda::Client::new(&ctx.sdk_config)
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
