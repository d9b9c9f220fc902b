//! A function's triggers: listed from the account (so triggers made elsewhere show too); a new
//! schedule compiled to a plan (the rule, its target, and Lambda's permission scoped to the rule);
//! a new REST API compiled to a plan (the API, resource, method, proxy integration, permission,
//! deployment, and an API key with its usage plan); a schedule turned off, on, or removed with its
//! target and permission; an API method removed with its permission; a call to an API's invoke
//! URL, signed when the method asks for IAM; and the proxy check that finds the 502 before users do.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apigateway::{
    self, AddUsagePlanKey, ApiTrigger, AssignedId, CreateApiKey, CreateResource, CreateRestApi,
    CreateUsagePlan, DeployStage, PermitApi, PutMethod, PutProxyIntegration, proxy,
};
use crate::aws::{AwsContext, ContextTag, partition};
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::events::{self, PutLambdaTarget, PutScheduleRule, RuleTrigger};
use crate::iam::{self, AttachRolePolicy, PolicyTemplate};
use crate::lambda::{
    self, AddPermission, AllowPublicUrl, CreateEventSourceMapping, CreateFunctionUrl, FunctionUrl,
    InvocationType, InvokeRequest, MappingTrigger, UrlAuth, UrlCors,
};
use crate::ledger::{Ledger, ResourceKind, new_token};
use crate::local::LocalLambda;
use crate::plan::{Plan, Purpose, Step};
use crate::validate;
use crate::validate::SourceKind;

/// How many next runs a schedule's preview shows.
const PREVIEW_RUNS: usize = 5;
const EVENTS_PRINCIPAL: &str = "events.amazonaws.com";

/// A function's triggers, as the Triggers tab lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TriggerList {
    pub context: ContextTag,
    pub function_name: String,
    pub rules: Vec<RuleTrigger>,
    pub apis: Vec<ApiTrigger>,
    pub mappings: Vec<MappingTrigger>,
    pub url: Option<FunctionUrl>,
}

/// A schedule to add, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleDraft {
    pub rule_name: String,
    pub expression: String,
    pub description: String,
}

/// When a schedule expression runs next, in UTC milliseconds (the page shows local time too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePreview {
    pub expression: String,
    #[ts(type = "number[]")]
    pub next_runs_ms: Vec<i64>,
}

/// Checks an expression by AWS's rules and says when it runs next.
pub fn preview(expression: &str, now_ms: i64) -> Result<SchedulePreview, AppError> {
    let parsed = validate::schedule_expression(expression)?;
    Ok(SchedulePreview {
        expression: expression.trim().to_owned(),
        next_runs_ms: events::next_runs(
            &parsed,
            events::utc(now_ms.div_euclid(1000)),
            PREVIEW_RUNS,
        ),
    })
}

/// A rule's ARN, known before the rule exists, so the permission can be scoped to it.
fn rule_arn(ctx: &AwsContext, rule: &str) -> String {
    format!(
        "arn:{}:events:{}:{}:rule/{rule}",
        partition(&ctx.region),
        ctx.region,
        ctx.account_id
    )
}

/// The plan that adds a trigger to the function.
fn trigger_plan(ctx: &AwsContext, function_name: &str, steps: Vec<Box<dyn Step>>) -> Plan {
    Plan {
        purpose: Purpose::AddTrigger,
        function_name: function_name.to_owned(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        steps,
        staged: Vec::new(),
    }
}

fn statement_id(rule: &str) -> String {
    format!("lambdesk-{rule}")
}

/// The function's ARN, read from the account.
async fn function_arn(ctx: &AwsContext, name: &str) -> Result<String, AppError> {
    Ok(lambda::function_details(ctx, name).await?.arn)
}

/// Every trigger of the function: the rules that target it, the API methods that call it, its
/// event source mappings, and its URL. `gateway` is the local gateway's URL, which serves the sandbox's APIs.
pub async fn list_triggers(
    ctx: &AwsContext,
    function_name: &str,
    gateway: Option<&str>,
) -> Result<TriggerList, AppError> {
    let arn = function_arn(ctx, function_name).await?;
    Ok(TriggerList {
        context: ctx.tag(),
        function_name: function_name.to_owned(),
        rules: events::rules_targeting(ctx, &arn).await?,
        apis: apigateway::api_triggers(ctx, &arn, gateway).await?,
        mappings: lambda::mappings(ctx, Some(function_name)).await?,
        url: lambda::function_url(ctx, function_name, gateway).await?,
    })
}

/// Checks the draft and compiles the plan that adds the schedule. Sends nothing but reads.
pub async fn compile_schedule(
    ctx: &AwsContext,
    function_name: &str,
    draft: &ScheduleDraft,
) -> Result<Plan, AppError> {
    validate::rule_name(&draft.rule_name)?;
    validate::schedule_expression(&draft.expression)?;
    validate::description(&draft.description)?;
    let function_arn = function_arn(ctx, function_name).await?;
    let rule = draft.rule_name.clone();
    let steps: Vec<Box<dyn Step>> = vec![
        Box::new(PutScheduleRule {
            name: rule.clone(),
            expression: draft.expression.trim().to_owned(),
            description: draft.description.trim().to_owned(),
            token: new_token(),
        }),
        Box::new(PutLambdaTarget {
            rule: rule.clone(),
            target_id: format!("lambdesk-{function_name}"),
            function_arn,
        }),
        Box::new(AddPermission {
            function: function_name.to_owned(),
            statement_id: statement_id(&rule),
            principal: EVENTS_PRINCIPAL.to_owned(),
            source_arn: rule_arn(ctx, &rule),
        }),
    ];
    Ok(trigger_plan(ctx, function_name, steps))
}

/// The rule, if it is one of the function's triggers; anything else is refused, so a page can only
/// act on a trigger the account shows for that function.
async fn trigger_rule(
    ctx: &AwsContext,
    function_name: &str,
    rule: &str,
) -> Result<(String, RuleTrigger), AppError> {
    validate::rule_name(rule)?;
    let arn = function_arn(ctx, function_name).await?;
    let found = events::rules_targeting(ctx, &arn)
        .await?
        .into_iter()
        .find(|trigger| trigger.name == rule)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!("No rule named {rule} runs {function_name} in this account and region."),
            )
            .with_hint("Refresh the Triggers tab.")
        })?;
    Ok((arn, found))
}

/// Turns one of the function's schedules on or off.
pub async fn set_rule_enabled(
    ctx: &AwsContext,
    function_name: &str,
    rule: &str,
    enabled: bool,
) -> Result<(), AppError> {
    trigger_rule(ctx, function_name, rule).await?;
    events::set_rule_enabled(ctx, rule, enabled).await
}

/// Removes one of the function's rule triggers: the function as its target, the permission that
/// let the rule invoke it, and the rule itself when nothing else is its target.
pub async fn remove_rule_trigger(
    ctx: &AwsContext,
    ledger: &Ledger,
    function_name: &str,
    rule: &str,
) -> Result<(), AppError> {
    let (function_arn, found) = trigger_rule(ctx, function_name, rule).await?;
    let others = events::remove_function_targets(ctx, rule, &function_arn).await?;
    lambda::remove_permissions_for_source(ctx, function_name, &found.arn).await?;
    if others == 0 {
        gone_is_removed(events::delete_rule_with_targets(ctx, rule).await)?;
        let entry_id = ledger
            .entries(&ctx.account_id, &ctx.region)?
            .into_iter()
            .find(|entry| entry.kind == ResourceKind::Rule && entry.name == rule)
            .map(|entry| entry.id);
        if let Some(id) = entry_id {
            ledger.forget(&ctx.account_id, &ctx.region, &id)?;
        }
    }
    tracing::info!(rule, function = function_name, account = %ctx.account_id, region = %ctx.region, "removed a trigger");
    Ok(())
}

/// Who may call a REST API method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ApiSecurity {
    Open,
    /// Callers sign with AWS credentials (SigV4).
    Iam,
    /// Callers send a key of a usage plan in `x-api-key`.
    ApiKey,
}

/// A REST API to add, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestApiDraft {
    /// An API of the account to add the method to; `None` makes a new one named `new_api_name`.
    pub existing_api_id: Option<String>,
    pub new_api_name: String,
    pub resource_path: String,
    pub method: String,
    pub security: ApiSecurity,
    pub stage: String,
}

/// Checks the draft and compiles the plan that publishes the function as a REST API. Sends nothing
/// but reads: which API, which of the path's resources exist already, and whether the method does.
pub async fn compile_rest_api(
    ctx: &AwsContext,
    function_name: &str,
    draft: &RestApiDraft,
) -> Result<Plan, AppError> {
    validate::resource_path(&draft.resource_path)?;
    validate::http_method(&draft.method)?;
    validate::stage_name(&draft.stage)?;
    let function_arn = function_arn(ctx, function_name).await?;
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    // The deepest resource of the path that exists, and the segments under it still to make.
    let (api, mut parent, missing) = match &draft.existing_api_id {
        Some(api_id) => {
            validate::api_id(api_id)?;
            if !apigateway::rest_apis(ctx)
                .await?
                .iter()
                .any(|api| &api.id == api_id)
            {
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    format!("No REST API {api_id} in this account and region."),
                )
                .with_hint("Choose an API from the list, or make a new one.")
                .with_field("apiId"));
            }
            let resources = apigateway::resources(ctx, api_id).await?;
            let by_path = |path: &str| resources.iter().find(|r| r.path() == Some(path));
            if let Some(methods) = by_path(&draft.resource_path).and_then(|r| r.resource_methods())
                && (methods.contains_key(&draft.method)
                    || methods.contains_key("ANY")
                    || (draft.method == "ANY" && !methods.is_empty()))
            {
                return Err(AppError::new(
                    ErrorKind::Conflict,
                    format!(
                        "{} of API {} already has a method that answers {}.",
                        draft.resource_path, api_id, draft.method
                    ),
                )
                .with_hint("Choose another path or method, or remove that trigger first.")
                .with_field("resourcePath"));
            }
            let segments: Vec<&str> = draft.resource_path[1..]
                .split('/')
                .filter(|segment| !segment.is_empty())
                .collect();
            let mut parent_id = by_path("/")
                .and_then(|r| r.id())
                .unwrap_or_default()
                .to_owned();
            let mut missing = Vec::new();
            let mut path = String::new();
            for segment in segments {
                path.push('/');
                path.push_str(segment);
                match by_path(&path).and_then(|r| r.id()) {
                    Some(id) if missing.is_empty() => id.clone_into(&mut parent_id),
                    _ => missing.push(segment.to_owned()),
                }
            }
            let parent = AssignedId::known("PARENT_ID", &parent_id);
            (AssignedId::known("API_ID", api_id), parent, missing)
        }
        None => {
            validate::api_name(&draft.new_api_name)?;
            let api = AssignedId::assigned_later("API_ID");
            let root = AssignedId::assigned_later("ROOT_ID");
            steps.push(Box::new(CreateRestApi {
                name: draft.new_api_name.trim().to_owned(),
                api: api.clone(),
                root: root.clone(),
                token: new_token(),
            }));
            let missing = draft.resource_path[1..]
                .split('/')
                .filter(|segment| !segment.is_empty())
                .map(str::to_owned)
                .collect();
            (api, root, missing)
        }
    };
    let count = missing.len();
    for (index, segment) in missing.into_iter().enumerate() {
        let variable = if index + 1 == count {
            "RESOURCE_ID".to_owned()
        } else {
            format!("RESOURCE_{}_ID", index + 1)
        };
        let resource = AssignedId::assigned_later(&variable);
        steps.push(Box::new(CreateResource {
            api: api.clone(),
            parent: parent.clone(),
            path_part: segment,
            resource: resource.clone(),
        }));
        parent = resource;
    }
    let resource = parent;
    steps.push(Box::new(PutMethod {
        api: api.clone(),
        resource: resource.clone(),
        path: draft.resource_path.clone(),
        method: draft.method.clone(),
        authorization: if draft.security == ApiSecurity::Iam {
            "AWS_IAM"
        } else {
            "NONE"
        }
        .to_owned(),
        api_key_required: draft.security == ApiSecurity::ApiKey,
    }));
    steps.push(Box::new(PutProxyIntegration {
        api: api.clone(),
        resource,
        method: draft.method.clone(),
        function_arn,
    }));
    steps.push(Box::new(PermitApi {
        function: function_name.to_owned(),
        statement_id: format!("lambdesk-api-{}", new_token()),
        api: api.clone(),
        method: draft.method.clone(),
        path: draft.resource_path.clone(),
        account_id: ctx.account_id.clone(),
    }));
    steps.push(Box::new(DeployStage::new(api.clone(), &draft.stage)));
    if draft.security == ApiSecurity::ApiKey {
        let key = AssignedId::assigned_later("KEY_ID");
        let usage_plan = AssignedId::assigned_later("PLAN_ID");
        steps.push(Box::new(CreateApiKey {
            name: format!("{function_name}-key"),
            key: key.clone(),
            token: new_token(),
        }));
        steps.push(Box::new(CreateUsagePlan {
            name: format!("{function_name}-plan"),
            api,
            stage: draft.stage.clone(),
            plan: usage_plan.clone(),
            token: new_token(),
        }));
        steps.push(Box::new(AddUsagePlanKey {
            plan: usage_plan,
            key,
        }));
    }
    Ok(trigger_plan(ctx, function_name, steps))
}

/// One API method of the function, named as the Triggers tab lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiMethodRef {
    pub api_id: String,
    pub resource_id: String,
    pub method: String,
}

/// The API method, if it is one of the function's triggers; anything else is refused, so a page
/// can only act on a method the account shows calling that function.
async fn trigger_method(
    ctx: &AwsContext,
    function_name: &str,
    method: &ApiMethodRef,
    gateway: Option<&str>,
) -> Result<ApiTrigger, AppError> {
    validate::api_id(&method.api_id)?;
    validate::http_method(&method.method)?;
    let arn = function_arn(ctx, function_name).await?;
    apigateway::api_triggers(ctx, &arn, gateway)
        .await?
        .into_iter()
        .find(|trigger| {
            trigger.api_id == method.api_id
                && trigger.resource_id == method.resource_id
                && trigger.method == method.method
        })
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!(
                    "No {} method of API {} calls {function_name} in this account and region.",
                    method.method, method.api_id
                ),
            )
            .with_hint("Refresh the Triggers tab.")
        })
}

/// Removes one of the function's API methods with the permission it was given. An API Lambdesk
/// made that has no method left goes too, with the usage plans and keys made for it; any other API
/// is deployed again, so the method stops answering.
pub async fn remove_api_trigger(
    ctx: &AwsContext,
    ledger: &Ledger,
    function_name: &str,
    method: &ApiMethodRef,
) -> Result<(), AppError> {
    let trigger = trigger_method(ctx, function_name, method, None).await?;
    apigateway::delete_method(ctx, &trigger.api_id, &trigger.resource_id, &trigger.method).await?;
    let source = apigateway::execute_api_arn(
        &ctx.region,
        &ctx.account_id,
        &trigger.api_id,
        &trigger.method,
        &trigger.path,
    );
    lambda::remove_permissions_for_source(ctx, function_name, &source).await?;
    let resources = apigateway::resources(ctx, &trigger.api_id).await?;
    let unused_leaf = resources.iter().any(|r| {
        r.id() == Some(trigger.resource_id.as_str())
            && r.path() != Some("/")
            && r.resource_methods()
                .is_none_or(|methods| methods.is_empty())
    }) && !resources
        .iter()
        .any(|r| r.parent_id() == Some(trigger.resource_id.as_str()));
    if unused_leaf {
        apigateway::delete_resource(ctx, &trigger.api_id, &trigger.resource_id).await?;
    }
    let has_methods = resources.iter().any(|r| {
        r.id() != Some(trigger.resource_id.as_str())
            && r.resource_methods()
                .is_some_and(|methods| !methods.is_empty())
    });
    let entries = ledger.entries(&ctx.account_id, &ctx.region)?;
    let ours = entries.iter().find(|entry| {
        entry.kind == ResourceKind::RestApi
            && entry.arn.as_deref().and_then(apigateway::id_in_arn) == Some(trigger.api_id.as_str())
    });
    match ours {
        Some(entry) if !has_methods => {
            for plan in apigateway::usage_plans_of(ctx, &trigger.api_id).await? {
                let listed = |kind: ResourceKind, id: &str| {
                    entries.iter().find(|entry| {
                        entry.kind == kind
                            && entry.arn.as_deref().and_then(apigateway::id_in_arn) == Some(id)
                    })
                };
                let Some(plan_entry) = listed(ResourceKind::UsagePlan, &plan.id) else {
                    continue;
                };
                apigateway::delete_usage_plan(ctx, &plan.id).await?;
                ledger.forget(&ctx.account_id, &ctx.region, &plan_entry.id)?;
                for key in &plan.key_ids {
                    if let Some(key_entry) = listed(ResourceKind::ApiKey, key) {
                        gone_is_removed(apigateway::delete_api_key(ctx, key).await)?;
                        ledger.forget(&ctx.account_id, &ctx.region, &key_entry.id)?;
                    }
                }
            }
            gone_is_removed(apigateway::delete_rest_api(ctx, &trigger.api_id).await)?;
            ledger.forget(&ctx.account_id, &ctx.region, &entry.id)?;
        }
        _ => apigateway::redeploy(ctx, &trigger.api_id).await?,
    }
    tracing::info!(api = %trigger.api_id, method = %trigger.method, function = function_name, "removed an API trigger");
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// A request "Call it" sends to one stage of one of the function's API methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallRequest {
    pub trigger: ApiMethodRef,
    pub stage: String,
    /// The method to send; the trigger's when it is not ANY.
    pub method: String,
    /// The path under the stage, matching the trigger's resource, with any query string.
    pub path: String,
    pub headers: Vec<HttpHeader>,
    pub body: String,
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallResult {
    pub url: String,
    pub status: u16,
    pub headers: Vec<HttpHeader>,
    pub body: String,
    pub elapsed_ms: f64,
    pub signed: bool,
}

/// How much of an answer "Call it" keeps: API Gateway's 10 MB payload limit.
const CALL_ANSWER_MAX: usize = 10 * 1024 * 1024;
/// API Gateway's integration timeout is 29 s; a little more covers the trip.
const CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(35);

/// Sends the request to the method's invoke URL, which Rust builds from the account's own API, not
/// from anything the page sends; signed with SigV4 when the method requires AWS_IAM.
pub async fn call_api(
    ctx: &AwsContext,
    gateway: Option<&str>,
    function_name: &str,
    request: &CallRequest,
) -> Result<CallResult, AppError> {
    let trigger = trigger_method(ctx, function_name, &request.trigger, gateway).await?;
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|header| !header.name.trim().is_empty())
        .map(|header| (header.name.trim().to_owned(), header.value.clone()))
        .collect();
    validate::call_request(&request.method, &request.path, &headers, &request.body)?;
    if trigger.method != "ANY" && trigger.method != request.method {
        return Err(AppError::new(
            ErrorKind::Validation,
            format!("This trigger answers {} only.", trigger.method),
        )
        .with_field("method"));
    }
    let (path_only, _) = request.path.split_once('?').unwrap_or((&request.path, ""));
    if proxy::match_resource(&trigger.path, path_only).is_none() {
        return Err(AppError::new(
            ErrorKind::Validation,
            format!("Path {path_only} is not one of {}.", trigger.path),
        )
        .with_hint(format!("Use a path that matches {}.", trigger.path))
        .with_field("path"));
    }
    let stage = trigger
        .stages
        .iter()
        .find(|stage| stage.stage == request.stage)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                format!(
                    "The API is not deployed to a stage named {}.",
                    request.stage
                ),
            )
            .with_field("stage")
        })?;
    let root = apigateway::invoke_url(ctx, gateway, &trigger.api_id, &stage.stage, "/");
    let signing = (trigger.authorization == "AWS_IAM").then_some("execute-api");
    send_call(
        ctx,
        &format!("{root}{}", request.path),
        &request.method,
        &headers,
        &request.body,
        signing,
    )
    .await
}

/// Sends a request "Call it" built, signed for `signing` (a SigV4 service name) when set.
async fn send_call(
    ctx: &AwsContext,
    url: &str,
    method: &str,
    headers: &[(String, String)],
    body: &str,
    signing: Option<&str>,
) -> Result<CallResult, AppError> {
    let mut sent = headers.to_vec();
    if let Some(service) = signing {
        sent.extend(
            crate::aws::sign_request(ctx, service, method, url, headers, body.as_bytes()).await?,
        );
    }
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| {
        AppError::new(ErrorKind::Validation, "Unknown method.").with_field("method")
    })?;
    let client = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|err| AppError::new(ErrorKind::Unknown, err.to_string()))?;
    let mut outgoing = client.request(method, url).body(body.to_owned());
    for (name, value) in &sent {
        outgoing = outgoing.header(name, value);
    }
    let started = std::time::Instant::now();
    let mut answer = outgoing.send().await.map_err(|err| {
        AppError::new(ErrorKind::Network, format!("Could not call {url}: {err}"))
            .with_hint("Check the network, and that the trigger is deployed.")
    })?;
    let status = answer.status().as_u16();
    let answer_headers = answer
        .headers()
        .iter()
        .map(|(name, value)| HttpHeader {
            name: name.as_str().to_owned(),
            value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
        })
        .collect();
    let mut received = Vec::new();
    while let Some(chunk) = answer
        .chunk()
        .await
        .map_err(|err| AppError::new(ErrorKind::Network, format!("The answer broke off: {err}")))?
    {
        let room = CALL_ANSWER_MAX.saturating_sub(received.len());
        received.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(CallResult {
        url: url.to_owned(),
        status,
        headers: answer_headers,
        body: String::from_utf8_lossy(&received).into_owned(),
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        signed: signing.is_some(),
    })
}

/// A function URL to add, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UrlDraft {
    pub auth: UrlAuth,
    pub cors: UrlCors,
}

/// Checks the draft and compiles the plan that gives the function its URL: the URL, and for an
/// open one the statements that let anyone call it.
pub async fn compile_function_url(
    ctx: &AwsContext,
    function_name: &str,
    draft: &UrlDraft,
) -> Result<Plan, AppError> {
    validate::url_cors(&draft.cors)?;
    if lambda::function_url(ctx, function_name, None)
        .await?
        .is_some()
    {
        return Err(AppError::new(
            ErrorKind::Conflict,
            format!("{function_name} has a URL already."),
        )
        .with_hint("Remove it first to make it again with other settings."));
    }
    let mut steps: Vec<Box<dyn Step>> = vec![Box::new(CreateFunctionUrl {
        function: function_name.to_owned(),
        auth: draft.auth,
        cors: draft.cors.clone(),
    })];
    if draft.auth == UrlAuth::None {
        steps.push(Box::new(AllowPublicUrl {
            function: function_name.to_owned(),
        }));
    }
    Ok(trigger_plan(ctx, function_name, steps))
}

/// Removes the function's URL and the statements that opened it.
pub async fn remove_function_url(ctx: &AwsContext, function_name: &str) -> Result<(), AppError> {
    validate::function_name(function_name)?;
    gone_is_removed(lambda::delete_function_url(ctx, function_name).await)?;
    tracing::info!(function = function_name, "removed a function URL");
    Ok(())
}

/// A request "Call it" sends to the function's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UrlCallRequest {
    pub method: String,
    /// The path under the URL, with any query string.
    pub path: String,
    pub headers: Vec<HttpHeader>,
    pub body: String,
}

/// Sends the request to the function's URL, read from the account; signed (service `lambda`)
/// when the URL asks for IAM.
pub async fn call_function_url(
    ctx: &AwsContext,
    gateway: Option<&str>,
    function_name: &str,
    request: &UrlCallRequest,
) -> Result<CallResult, AppError> {
    validate::function_name(function_name)?;
    let url = lambda::function_url(ctx, function_name, gateway)
        .await?
        .ok_or_else(|| {
            AppError::new(ErrorKind::NotFound, format!("{function_name} has no URL."))
                .with_hint("Refresh the Triggers tab.")
        })?;
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|header| !header.name.trim().is_empty())
        .map(|header| (header.name.trim().to_owned(), header.value.clone()))
        .collect();
    validate::call_request(&request.method, &request.path, &headers, &request.body)?;
    let signing = (url.auth == UrlAuth::AwsIam).then_some("lambda");
    let target = format!("{}{}", url.url.trim_end_matches('/'), request.path);
    send_call(
        ctx,
        &target,
        &request.method,
        &headers,
        &request.body,
        signing,
    )
    .await
}

/// What the proxy check found: the status API Gateway would answer, and why when it is a 502.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProxyCheck {
    pub status: u16,
    pub problem: Option<proxy::ProxyProblem>,
    /// What the function answered, as it came.
    pub answer: String,
}

/// Runs the function once with the event API Gateway would send for `method path`, and checks
/// its answer against the proxy integration's contract.
pub async fn check_proxy_response(
    ctx: &AwsContext,
    local: &LocalLambda,
    function_name: &str,
    method: &str,
    path: &str,
) -> Result<ProxyCheck, AppError> {
    validate::function_name(function_name)?;
    validate::resource_path(path)?;
    validate::http_method(method)?;
    let sent = if method == "ANY" { "GET" } else { method };
    let concrete: String = path
        .split('/')
        .map(|part| {
            if part.starts_with('{') {
                "example"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let headers = [("Accept".to_owned(), "application/json".to_owned())];
    let event = proxy::request_event(&proxy::ProxyRequest {
        method: sent,
        resource: path,
        path: &concrete,
        query: "",
        headers: &headers,
        body: b"",
        stage: "test-invoke-stage",
        api_id: "lambdesk00",
        resource_id: "check",
        account_id: &ctx.account_id,
        request_id: &uuid::Uuid::new_v4().to_string(),
        source_ip: "127.0.0.1",
        now_ms: 0,
    });
    let invoked = lambda::invoke(
        ctx,
        local,
        &InvokeRequest {
            function_name: function_name.to_owned(),
            payload: event,
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        },
    )
    .await?;
    if let Some(kind) = invoked.function_error {
        return Ok(ProxyCheck {
            status: 502,
            problem: Some(proxy::ProxyProblem {
                message: format!("The function failed ({kind}) instead of answering."),
                fix: "Open the test result or the logs to see the error, and fix the handler."
                    .to_owned(),
            }),
            answer: invoked.payload,
        });
    }
    Ok(match proxy::read_answer(&invoked.payload) {
        Ok(answer) => ProxyCheck {
            status: answer.status,
            problem: None,
            answer: invoked.payload,
        },
        Err(problem) => ProxyCheck {
            status: 502,
            problem: Some(problem),
            answer: invoked.payload,
        },
    })
}

/// A queue or stream a mapping can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventSource {
    pub arn: String,
    pub kind: SourceKind,
    pub name: String,
}

/// The region's queues and streams; a kind that could not be listed (no permission, say) is
/// named in `unavailable` and the others are still offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventSources {
    pub context: ContextTag,
    pub sources: Vec<EventSource>,
    pub unavailable: Vec<String>,
}

pub async fn event_sources(ctx: &AwsContext) -> EventSources {
    let (queues, streams, tables) = tokio::join!(
        crate::sqs::queue_arns(ctx),
        crate::kinesis::stream_arns(ctx),
        crate::dynamodb::stream_arns(ctx)
    );
    let mut sources = Vec::new();
    let mut unavailable = Vec::new();
    for (listed, what) in [
        (queues, "SQS queues"),
        (streams, "Kinesis streams"),
        (tables, "DynamoDB streams"),
    ] {
        match listed {
            Ok(arns) => sources.extend(arns.into_iter().filter_map(|arn| {
                let source = validate::event_source_arn(&arn, &ctx.region).ok()?;
                Some(EventSource {
                    kind: source.kind,
                    name: source.name,
                    arn,
                })
            })),
            Err(error) => unavailable.push(format!("{what}: {}", error.message)),
        }
    }
    EventSources {
        context: ctx.tag(),
        sources,
        unavailable,
    }
}

/// The actions Lambda needs the role to allow to read a source, and the template that grants them.
fn needs(kind: SourceKind) -> (&'static [&'static str], &'static str) {
    match kind {
        SourceKind::Sqs => (
            &[
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
            ],
            "sqs-poller",
        ),
        SourceKind::Kinesis => (
            &[
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:DescribeStream",
                "kinesis:ListShards",
            ],
            "kinesis",
        ),
        SourceKind::DynamoDbStream => (
            &[
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:DescribeStream",
                "dynamodb:ListStreams",
            ],
            "dynamodb-stream",
        ),
    }
}

/// Whether the function's role may read the source, and if not, what would let it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleCheck {
    pub role: String,
    pub missing: Vec<String>,
    /// The policy template that grants what is missing.
    pub template: Option<PolicyTemplate>,
}

/// Reads the function's role's policies and says which of the actions the source needs it lacks.
pub async fn check_mapping_role(
    ctx: &AwsContext,
    function_name: &str,
    source_arn: &str,
) -> Result<RoleCheck, AppError> {
    let source = validate::event_source_arn(source_arn, &ctx.region)?;
    let details = lambda::function_details(ctx, function_name).await?;
    let role = iam::role_name_of(&details.settings.role_arn).to_owned();
    let (actions, template) = needs(source.kind);
    let missing = iam::missing_actions(ctx, &role, actions).await?;
    Ok(RoleCheck {
        template: (!missing.is_empty())
            .then(|| iam::template(template).cloned())
            .flatten(),
        role,
        missing,
    })
}

/// An event source mapping to add, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MappingDraft {
    pub event_source_arn: String,
    pub batch_size: i32,
    pub batching_window_seconds: i32,
    pub starting_position: Option<String>,
    /// Attach the policy template the role lacks, in the same plan.
    pub add_policy: bool,
}

/// Checks the draft and the role, and compiles the plan: the policy the role lacks when the user
/// asked for it, then the mapping. Sends nothing but reads.
pub async fn compile_mapping(
    ctx: &AwsContext,
    function_name: &str,
    draft: &MappingDraft,
) -> Result<Plan, AppError> {
    let source = validate::event_source_arn(&draft.event_source_arn, &ctx.region)?;
    validate::mapping_settings(
        &source,
        draft.batch_size,
        draft.batching_window_seconds,
        draft.starting_position.as_deref(),
    )?;
    let check = check_mapping_role(ctx, function_name, &draft.event_source_arn).await?;
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    let attach = match (&check.template, draft.add_policy) {
        (None, _) => None,
        (Some(template), true) => template.managed_policy.clone(),
        (Some(template), false) => {
            return Err(AppError::new(
                ErrorKind::Validation,
                format!(
                    "Role {} may not call {}, which Lambda needs to read this source.",
                    check.role,
                    check.missing.join(", ")
                ),
            )
            .with_hint(format!(
                "Tick \"Add the policy template {}\" to attach it in the same plan.",
                template.name
            ))
            .with_field("addPolicy"));
        }
    };
    if let Some(policy_arn) = &attach {
        steps.push(Box::new(AttachRolePolicy {
            role: check.role.clone(),
            policy_arn: policy_arn.clone(),
        }));
    }
    steps.push(Box::new(CreateEventSourceMapping {
        function: function_name.to_owned(),
        source_arn: draft.event_source_arn.trim().to_owned(),
        batch_size: draft.batch_size,
        batching_window_seconds: draft.batching_window_seconds,
        starting_position: draft.starting_position.clone(),
        policy_just_attached: attach.is_some(),
        uuid: std::sync::Mutex::default(),
    }));
    Ok(trigger_plan(ctx, function_name, steps))
}

/// The mapping, if it is one of the function's; anything else is refused.
async fn function_mapping(
    ctx: &AwsContext,
    function_name: &str,
    uuid: &str,
) -> Result<MappingTrigger, AppError> {
    validate::function_name(function_name)?;
    lambda::mappings(ctx, Some(function_name))
        .await?
        .into_iter()
        .find(|mapping| mapping.uuid == uuid)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!("No event source mapping {uuid} invokes {function_name} in this account and region."),
            )
            .with_hint("Refresh the Triggers tab.")
        })
}

pub async fn set_mapping_enabled(
    ctx: &AwsContext,
    function_name: &str,
    uuid: &str,
    enabled: bool,
) -> Result<(), AppError> {
    let mapping = function_mapping(ctx, function_name, uuid).await?;
    lambda::set_mapping_enabled(ctx, &mapping.uuid, enabled).await
}

/// Deletes one of the function's mappings. The role keeps its policies: other functions may use
/// the same role.
pub async fn remove_mapping(
    ctx: &AwsContext,
    function_name: &str,
    uuid: &str,
) -> Result<(), AppError> {
    let mapping = function_mapping(ctx, function_name, uuid).await?;
    gone_is_removed(lambda::delete_mapping(ctx, &mapping.uuid).await)?;
    tracing::info!(source = %mapping.source_arn, function = function_name, "removed an event source mapping");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_checks_the_expression_and_lists_five_runs() {
        let now = 1_795_000_000_000;
        let preview = preview("rate(1 minute)", now).unwrap();
        assert_eq!(preview.next_runs_ms.len(), 5);
        assert_eq!(preview.next_runs_ms[0], 1_795_000_060_000);
        let error = super::preview("rate(1 minutes)", now).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("scheduleExpression"));
    }
}
