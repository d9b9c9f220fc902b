//! API Gateway: REST APIs that call a function through the Lambda proxy integration. The methods
//! that call a function (read from the account, so APIs made elsewhere show too), their invoke
//! URLs, removing one, the plan steps that publish one, and the proxy event and answer that pass
//! between API Gateway and the function.

pub mod proxy;
mod steps;

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use steps::{
    AddUsagePlanKey, CreateApiKey, CreateResource, CreateRestApi, CreateUsagePlan, DeployStage,
    PermitApi, PutMethod, PutProxyIntegration,
};

use crate::aws::{AwsContext, partition};
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::ledger::{ResourceKind, carries_owner_tag};

/// How many items API Gateway returns on a page at most.
const PAGE_LIMIT: i32 = 500;

/// An id AWS assigns: known when the plan is compiled (an API being reused), or assigned by an
/// earlier step of the same plan, which the later steps read when they run. Its CLI text is the
/// id itself or the shell variable the earlier command kept it in.
#[derive(Debug, Clone)]
pub struct AssignedId {
    variable: String,
    known_at_compile: bool,
    value: Arc<Mutex<Option<String>>>,
}

impl AssignedId {
    pub fn known(variable: &str, id: &str) -> Self {
        Self {
            variable: variable.to_owned(),
            known_at_compile: true,
            value: Arc::new(Mutex::new(Some(id.to_owned()))),
        }
    }

    pub fn assigned_later(variable: &str) -> Self {
        Self {
            variable: variable.to_owned(),
            known_at_compile: false,
            value: Arc::default(),
        }
    }

    fn set(&self, id: &str) {
        *self.value.lock().unwrap_or_else(PoisonError::into_inner) = Some(id.to_owned());
    }

    /// Takes the id a step's `exists` found, if it found one, and tells whether it did.
    fn found(&self, id: Option<String>) -> bool {
        if let Some(id) = &id {
            self.set(id);
        }
        id.is_some()
    }

    pub fn get(&self) -> Result<String, AppError> {
        self.value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("The step that assigns {} has not run.", self.variable),
                )
            })
    }

    /// What stands for the id in the CLI text.
    pub fn cli(&self) -> String {
        match (self.known_at_compile, self.get()) {
            (true, Ok(id)) => id,
            _ => format!("${{{}}}", self.variable),
        }
    }
}

/// A REST API of the account, as the "reuse an API" list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestApiSummary {
    pub id: String,
    pub name: String,
}

/// A method of a REST API whose proxy integration calls the function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiTrigger {
    pub api_id: String,
    pub api_name: String,
    pub resource_id: String,
    pub path: String,
    /// `ANY` or one method.
    pub method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    pub authorization: String,
    pub api_key_required: bool,
    /// Each stage the API is deployed to, with its invoke URL for this method's path.
    pub stages: Vec<StageUrl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StageUrl {
    pub stage: String,
    pub invoke_url: String,
}

/// The URI of the Lambda proxy integration that calls `function_arn`.
pub fn integration_uri(region: &str, function_arn: &str) -> String {
    format!(
        "arn:{}:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        partition(region)
    )
}

/// The source ARN API Gateway invokes a function from, for one method of one path of an API, on
/// any stage; `api` may be a shell variable.
pub fn execute_api_arn(region: &str, account: &str, api: &str, method: &str, path: &str) -> String {
    let method = if method == "ANY" { "*" } else { method };
    format!(
        "{}*/{method}/{}",
        execute_api_prefix(region, account, api),
        path.trim_start_matches('/')
    )
}

/// What every source ARN of one API starts with.
pub fn execute_api_prefix(region: &str, account: &str, api: &str) -> String {
    format!(
        "arn:{}:execute-api:{region}:{account}:{api}/",
        partition(region)
    )
}

/// Where a stage of an API answers: API Gateway's URL in an account; on the Local sandbox, the
/// local gateway's (`gateway` is its base URL), since the sandbox serves no invoke URL.
pub fn invoke_url(
    ctx: &AwsContext,
    gateway: Option<&str>,
    api_id: &str,
    stage: &str,
    path: &str,
) -> String {
    let path = if path == "/" { "" } else { path };
    match (ctx.runs_code_locally, gateway) {
        (true, Some(base)) => format!("{}/{api_id}/{stage}{path}", base.trim_end_matches('/')),
        _ => {
            let suffix = if ctx.region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!(
                "https://{api_id}.execute-api.{}.{suffix}/{stage}{path}",
                ctx.region
            )
        }
    }
}

/// Every REST API of the account and region.
pub async fn rest_apis(ctx: &AwsContext) -> Result<Vec<RestApiSummary>, AppError> {
    let mut apis: Vec<RestApiSummary> = every_rest_api(ctx)
        .await?
        .iter()
        .map(|api| RestApiSummary {
            id: api.id().unwrap_or_default().to_owned(),
            name: api.name().unwrap_or_default().to_owned(),
        })
        .collect();
    apis.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(apis)
}

/// The id of the API of that name that carries the owner tag with `token`: the one the plan
/// holding the token made, if it did.
pub async fn rest_api_made_by(
    ctx: &AwsContext,
    name: &str,
    token: &str,
) -> Result<Option<String>, AppError> {
    Ok(every_rest_api(ctx)
        .await?
        .iter()
        .find_map(|api| owned_id(api.name(), api.tags(), api.id(), name, token)))
}

/// The id of the API key of that name that carries the owner tag with `token`.
pub async fn api_key_made_by(
    ctx: &AwsContext,
    name: &str,
    token: &str,
) -> Result<Option<String>, AppError> {
    let keys: Vec<_> = ctx
        .apigateway()
        .get_api_keys()
        .name_query(name)
        .limit(PAGE_LIMIT)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(ctx.failed("list the API keys"))?;
    Ok(keys
        .iter()
        .find_map(|key| owned_id(key.name(), key.tags(), key.id(), name, token)))
}

/// The id of the usage plan of that name that carries the owner tag with `token`.
pub async fn usage_plan_made_by(
    ctx: &AwsContext,
    name: &str,
    token: &str,
) -> Result<Option<String>, AppError> {
    let plans: Vec<_> = ctx
        .apigateway()
        .get_usage_plans()
        .limit(PAGE_LIMIT)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(ctx.failed("list the usage plans"))?;
    Ok(plans
        .iter()
        .find_map(|plan| owned_id(plan.name(), plan.tags(), plan.id(), name, token)))
}

/// The ARN of the API, API key or usage plan of that name that carries the owner tag with `token`;
/// `None` for any other kind of resource.
pub async fn assigned_made_by(
    ctx: &AwsContext,
    kind: ResourceKind,
    name: &str,
    token: &str,
) -> Result<Option<String>, AppError> {
    let (path, id) = match kind {
        ResourceKind::ApiKey => ("apikeys", api_key_made_by(ctx, name, token).await?),
        ResourceKind::UsagePlan => ("usageplans", usage_plan_made_by(ctx, name, token).await?),
        ResourceKind::RestApi => ("restapis", rest_api_made_by(ctx, name, token).await?),
        _ => return Ok(None),
    };
    Ok(id.map(|id| resource_arn(ctx, path, &id)))
}

/// The id of an API Gateway resource, if it is named `wanted` and carries the owner tag with
/// `token`.
fn owned_id(
    name: Option<&str>,
    tags: Option<&std::collections::HashMap<String, String>>,
    id: Option<&str>,
    wanted: &str,
    token: &str,
) -> Option<String> {
    (name == Some(wanted) && carries_owner_tag(tags, token))
        .then(|| id.unwrap_or_default().to_owned())
}

/// Every REST API of the account and region, page by page.
async fn every_rest_api(
    ctx: &AwsContext,
) -> Result<Vec<aws_sdk_apigateway::types::RestApi>, AppError> {
    let mut apis = Vec::new();
    let mut position = None;
    loop {
        let page = ctx
            .apigateway()
            .get_rest_apis()
            .limit(PAGE_LIMIT)
            .set_position(position)
            .send()
            .await
            .map_err(ctx.failed("list the REST APIs"))?;
        position = page.position().map(str::to_owned);
        let empty = page.items().is_empty();
        apis.extend(page.items.unwrap_or_default());
        if position.is_none() || empty {
            break;
        }
    }
    Ok(apis)
}

/// The resources of an API, with their methods and integrations.
pub async fn resources(
    ctx: &AwsContext,
    api_id: &str,
) -> Result<Vec<aws_sdk_apigateway::types::Resource>, AppError> {
    let mut resources = Vec::new();
    let mut position = None;
    loop {
        let page = ctx
            .apigateway()
            .get_resources()
            .rest_api_id(api_id)
            .embed("methods")
            .limit(PAGE_LIMIT)
            .set_position(position)
            .send()
            .await
            .map_err(ctx.failed(&format!("read the resources of API {api_id}")))?;
        resources.extend(page.items().iter().cloned());
        position = page.position().map(str::to_owned);
        if position.is_none() || page.items().is_empty() {
            break;
        }
    }
    Ok(resources)
}

/// The names of the stages an API is deployed to.
pub async fn stage_names(ctx: &AwsContext, api_id: &str) -> Result<Vec<String>, AppError> {
    let stages = ctx
        .apigateway()
        .get_stages()
        .rest_api_id(api_id)
        .send()
        .await
        .map_err(ctx.failed(&format!("read the stages of API {api_id}")))?;
    let mut names: Vec<String> = stages
        .item()
        .iter()
        .filter_map(|stage| stage.stage_name().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

/// Whether an integration URI calls the function (itself or one of its versions or aliases).
fn calls_function(uri: &str, function_arn: &str) -> bool {
    uri.split_once("/functions/")
        .and_then(|(_, rest)| rest.strip_suffix("/invocations"))
        .is_some_and(|target| {
            target == function_arn
                || target
                    .strip_prefix(function_arn)
                    .is_some_and(|qualifier| qualifier.starts_with(':'))
        })
}

/// The function an integration URI calls, by name, when it is a Lambda function of the context.
pub fn function_called_by(ctx: &AwsContext, uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("/functions/")?;
    let target = rest.strip_suffix("/invocations")?;
    crate::lambda::function_name_in(ctx, target).map(str::to_owned)
}

/// How many APIs are read at once when looking for a function's methods: an account's APIs in a
/// few rounds rather than one after another, without a burst that API Gateway's low rate limits
/// for reading its configuration would punish.
const APIS_AT_ONCE: usize = 4;

/// Every method of every REST API whose integration calls the function.
pub async fn api_triggers(
    ctx: &AwsContext,
    function_arn: &str,
    gateway: Option<&str>,
) -> Result<Vec<ApiTrigger>, AppError> {
    use futures_util::{StreamExt, TryStreamExt};
    let per_api: Vec<Vec<ApiTrigger>> = futures_util::stream::iter(rest_apis(ctx).await?)
        .map(|api| api_methods_calling(ctx, api, function_arn, gateway))
        .buffer_unordered(APIS_AT_ONCE)
        .try_collect()
        .await?;
    let mut triggers: Vec<ApiTrigger> = per_api.into_iter().flatten().collect();
    triggers.sort_by(|a, b| listing_order(a).cmp(&listing_order(b)));
    Ok(triggers)
}

/// By API name, path and method; the APIs answer in any order, so two APIs of one name are told
/// apart by id, and a refresh lists them as before.
fn listing_order(trigger: &ApiTrigger) -> (&str, &str, &str, &str) {
    (
        &trigger.api_name,
        &trigger.path,
        &trigger.method,
        &trigger.api_id,
    )
}

/// The methods of one API whose integration calls the function. An API deleted since the list
/// was read has none, rather than being an error.
async fn api_methods_calling(
    ctx: &AwsContext,
    api: RestApiSummary,
    function_arn: &str,
    gateway: Option<&str>,
) -> Result<Vec<ApiTrigger>, AppError> {
    let api_resources = match resources(ctx, &api.id).await {
        Err(error) if error.kind == ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let mut found = Vec::new();
    for resource in api_resources {
        for (method, details) in resource.resource_methods().into_iter().flatten() {
            let calls = details
                .method_integration()
                .and_then(|integration| integration.uri())
                .is_some_and(|uri| calls_function(uri, function_arn));
            if calls {
                found.push((resource.clone(), method.clone(), details.clone()));
            }
        }
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let stages = match stage_names(ctx, &api.id).await {
        Err(error) if error.kind == ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    Ok(found
        .into_iter()
        .map(|(resource, method, details)| {
            let path = resource.path().unwrap_or("/").to_owned();
            ApiTrigger {
                api_id: api.id.clone(),
                api_name: api.name.clone(),
                resource_id: resource.id().unwrap_or_default().to_owned(),
                stages: stages
                    .iter()
                    .map(|stage| StageUrl {
                        stage: stage.clone(),
                        invoke_url: invoke_url(ctx, gateway, &api.id, stage, &path),
                    })
                    .collect(),
                path,
                method,
                authorization: details.authorization_type().unwrap_or("NONE").to_owned(),
                api_key_required: details.api_key_required().unwrap_or(false),
            }
        })
        .collect())
}

/// Deploys the API again to each of its stages, so a removed method stops being served.
pub async fn redeploy(ctx: &AwsContext, api_id: &str) -> Result<(), AppError> {
    for stage in stage_names(ctx, api_id).await? {
        ctx.apigateway()
            .create_deployment()
            .rest_api_id(api_id)
            .stage_name(&stage)
            .description("Lambdesk: a trigger was removed")
            .send()
            .await
            .map_err(ctx.failed(&format!("deploy API {api_id} to {stage}")))?;
    }
    Ok(())
}

/// Removes a method, with its integration.
pub async fn delete_method(
    ctx: &AwsContext,
    api_id: &str,
    resource_id: &str,
    method: &str,
) -> Result<(), AppError> {
    ctx.apigateway()
        .delete_method()
        .rest_api_id(api_id)
        .resource_id(resource_id)
        .http_method(method)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("remove method {method} of API {api_id}")))
}

pub async fn delete_rest_api(ctx: &AwsContext, api_id: &str) -> Result<(), AppError> {
    ctx.apigateway()
        .delete_rest_api()
        .rest_api_id(api_id)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("delete API {api_id}")))
}

pub async fn delete_api_key(ctx: &AwsContext, key_id: &str) -> Result<(), AppError> {
    ctx.apigateway()
        .delete_api_key()
        .api_key(key_id)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("delete API key {key_id}")))
}

/// Deletes a usage plan, after taking its API stages off it, which AWS requires.
pub async fn delete_usage_plan(ctx: &AwsContext, plan_id: &str) -> Result<(), AppError> {
    let plan = ctx
        .apigateway()
        .get_usage_plan()
        .usage_plan_id(plan_id)
        .send()
        .await
        .map_err(ctx.failed(&format!("read usage plan {plan_id}")))?;
    for stage in plan.api_stages() {
        let value = format!(
            "{}:{}",
            stage.api_id().unwrap_or_default(),
            stage.stage().unwrap_or_default()
        );
        let patch = aws_sdk_apigateway::types::PatchOperation::builder()
            .op(aws_sdk_apigateway::types::Op::Remove)
            .path("/apiStages")
            .value(value)
            .build();
        gone_is_removed(
            ctx.apigateway()
                .update_usage_plan()
                .usage_plan_id(plan_id)
                .patch_operations(patch)
                .send()
                .await
                .map(|_| ())
                .map_err(ctx.failed(&format!("detach usage plan {plan_id}"))),
        )?;
    }
    ctx.apigateway()
        .delete_usage_plan()
        .usage_plan_id(plan_id)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("delete usage plan {plan_id}")))
}

pub async fn delete_resource(
    ctx: &AwsContext,
    api_id: &str,
    resource_id: &str,
) -> Result<(), AppError> {
    ctx.apigateway()
        .delete_resource()
        .rest_api_id(api_id)
        .resource_id(resource_id)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("remove a resource of API {api_id}")))
}

/// A usage plan that covers a stage of an API, with the keys in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsagePlanOfApi {
    pub id: String,
    pub key_ids: Vec<String>,
}

/// The usage plans that cover any stage of the API.
pub async fn usage_plans_of(
    ctx: &AwsContext,
    api_id: &str,
) -> Result<Vec<UsagePlanOfApi>, AppError> {
    let plans = ctx
        .apigateway()
        .get_usage_plans()
        .limit(PAGE_LIMIT)
        .send()
        .await
        .map_err(ctx.failed("read the usage plans"))?;
    let mut found = Vec::new();
    for plan in plans.items() {
        if !plan.api_stages().iter().any(|s| s.api_id() == Some(api_id)) {
            continue;
        }
        let id = plan.id().unwrap_or_default().to_owned();
        let keys = ctx
            .apigateway()
            .get_usage_plan_keys()
            .usage_plan_id(&id)
            .limit(PAGE_LIMIT)
            .send()
            .await
            .map_err(ctx.failed(&format!("read the keys of usage plan {id}")))?;
        found.push(UsagePlanOfApi {
            key_ids: keys
                .items()
                .iter()
                .filter_map(|key| key.id().map(str::to_owned))
                .collect(),
            id,
        });
    }
    Ok(found)
}

/// The id at the end of an API Gateway ARN such as `arn:aws:apigateway:us-east-1::/restapis/abc`.
pub fn id_in_arn(arn: &str) -> Option<&str> {
    arn.rsplit('/').next().filter(|id| !id.is_empty())
}

/// The ARN of an API Gateway resource, `kind` being `restapis`, `apikeys` or `usageplans`.
pub(crate) fn resource_arn(ctx: &AwsContext, kind: &str, id: &str) -> String {
    format!(
        "arn:{}:apigateway:{}::/{kind}/{id}",
        partition(&ctx.region),
        ctx.region
    )
}

/// Whether the API key `value` is enabled and in a usage plan of the API's stage.
pub async fn key_allows(
    ctx: &AwsContext,
    value: &str,
    api_id: &str,
    stage: &str,
) -> Result<bool, AppError> {
    let keys = ctx
        .apigateway()
        .get_api_keys()
        .include_values(true)
        .limit(PAGE_LIMIT)
        .send()
        .await
        .map_err(ctx.failed("read the API keys"))?;
    let Some(key_id) = keys
        .items()
        .iter()
        .find(|key| key.value() == Some(value) && key.enabled())
        .and_then(|key| key.id())
    else {
        return Ok(false);
    };
    let plans = ctx
        .apigateway()
        .get_usage_plans()
        .key_id(key_id)
        .limit(PAGE_LIMIT)
        .send()
        .await
        .map_err(ctx.failed("read the usage plans"))?;
    for plan in plans.items() {
        let covers = plan
            .api_stages()
            .iter()
            .any(|s| s.api_id() == Some(api_id) && s.stage() == Some(stage));
        if !covers {
            continue;
        }
        let plan_id = plan.id().unwrap_or_default();
        let plan_keys = ctx
            .apigateway()
            .get_usage_plan_keys()
            .usage_plan_id(plan_id)
            .limit(PAGE_LIMIT)
            .send()
            .await
            .map_err(ctx.failed(&format!("read the keys of usage plan {plan_id}")))?;
        if plan_keys.items().iter().any(|k| k.id() == Some(key_id)) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(local: bool) -> AwsContext {
        AwsContext::offline("us-east-1", "123456789012", local)
    }

    #[test]
    fn urls_and_arns_are_api_gateways() {
        let ctx = context(false);
        assert_eq!(
            invoke_url(&ctx, None, "a1b2c3d4e5", "prod", "/hello"),
            "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/hello"
        );
        assert_eq!(
            invoke_url(
                &context(true),
                Some("http://127.0.0.1:4000"),
                "a1b2c3d4e5",
                "prod",
                "/hello"
            ),
            "http://127.0.0.1:4000/a1b2c3d4e5/prod/hello"
        );
        assert_eq!(
            execute_api_arn("us-east-1", "123456789012", "${API_ID}", "ANY", "/hello"),
            "arn:aws:execute-api:us-east-1:123456789012:${API_ID}/*/*/hello"
        );
        assert_eq!(
            integration_uri(
                "us-east-1",
                "arn:aws:lambda:us-east-1:123456789012:function:hi"
            ),
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:hi/invocations"
        );
        assert_eq!(
            id_in_arn("arn:aws:apigateway:us-east-1::/restapis/abc"),
            Some("abc")
        );
    }

    #[test]
    fn an_integration_calls_the_function_or_its_alias_but_not_a_namesake() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:hi";
        let uri = |target: &str| integration_uri("us-east-1", target);
        assert!(calls_function(&uri(arn), arn));
        assert!(calls_function(&uri(&format!("{arn}:live")), arn));
        assert!(!calls_function(&uri(&format!("{arn}-two")), arn));
        assert_eq!(
            function_called_by(&context(true), &uri(arn)).as_deref(),
            Some("hi")
        );
        assert_eq!(
            function_called_by(
                &context(true),
                &uri("arn:aws:lambda:eu-west-1:123456789012:function:hi")
            ),
            None
        );
    }

    #[test]
    fn an_id_made_by_an_earlier_step_is_a_shell_variable_in_the_cli() {
        let later = AssignedId::assigned_later("API_ID");
        assert_eq!(later.cli(), "${API_ID}");
        assert!(later.get().is_err());
        later.set("a1b2c3d4e5");
        assert_eq!(later.cli(), "${API_ID}");
        assert_eq!(later.get().unwrap(), "a1b2c3d4e5");
        assert_eq!(
            AssignedId::known("API_ID", "zzzzzzzzzz").cli(),
            "zzzzzzzzzz"
        );
    }
}
