//! The Triggers tab's commands: the function's triggers read from the account, a schedule's
//! preview and its plan, a REST API's plan (each run with `apply_change`, as every change to a
//! function), a trigger turned off, on, or removed, a call to an API, and the proxy check. The page
//! names a rule or an API method; Rust acts on it only if the account shows it as one of that
//! function's triggers, and builds any URL it calls itself.

use lambdesk_core::AppError;
use lambdesk_core::apigateway::RestApiSummary;
use lambdesk_core::configure::ChangeReview;
use lambdesk_core::triggers::{
    self, ApiMethodRef, CallRequest, CallResult, EventSources, MappingDraft, ProxyCheck,
    RestApiDraft, RoleCheck, ScheduleDraft, SchedulePreview, TriggerList, UrlCallRequest, UrlDraft,
};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_triggers(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<TriggerList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    let gateway = state.gateway_url(&ctx);
    triggers::list_triggers(&ctx, &function_name, gateway.as_deref()).await
}

/// Checks a schedule expression by AWS's rules and says when it runs next.
#[tauri::command]
pub fn preview_schedule(expression: String) -> Result<SchedulePreview, AppError> {
    let now = lambdesk_core::clock::now_ms();
    triggers::preview(&expression, now)
}

/// Checks the schedule and holds the plan that adds it.
#[tauri::command]
pub async fn plan_schedule(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    draft: ScheduleDraft,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = triggers::compile_schedule(&ctx, &function_name, &draft).await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

#[tauri::command]
pub async fn set_trigger_enabled(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    rule: String,
    enabled: bool,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::set_rule_enabled(&ctx, &function_name, &rule, enabled).await
}

/// Removes a rule trigger with the function's target and permission.
#[tauri::command]
pub async fn remove_trigger(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    rule: String,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::remove_rule_trigger(&ctx, state.ledger(&ctx), &function_name, &rule).await
}

/// The account's REST APIs, for "add to an API you have".
#[tauri::command]
pub async fn list_rest_apis(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<Vec<RestApiSummary>, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::apigateway::rest_apis(&ctx).await
}

/// Checks the REST API draft and holds the plan that publishes the function through it.
#[tauri::command]
pub async fn plan_rest_api(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    draft: RestApiDraft,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = triggers::compile_rest_api(&ctx, &function_name, &draft).await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

/// Removes an API method that calls the function, with its permission.
#[tauri::command]
pub async fn remove_api_trigger(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    method: ApiMethodRef,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::remove_api_trigger(&ctx, state.ledger(&ctx), &function_name, &method).await
}

/// Calls one of the function's API methods ("Call it").
#[tauri::command]
pub async fn call_api(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    request: CallRequest,
) -> Result<CallResult, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    let gateway = state.gateway_url(&ctx);
    triggers::call_api(&ctx, gateway.as_deref(), &function_name, &request).await
}

/// Runs the function with an API Gateway proxy event and checks its answer.
#[tauri::command]
pub async fn check_proxy_response(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    method: String,
    path: String,
) -> Result<ProxyCheck, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::check_proxy_response(&ctx, state.local(), &function_name, &method, &path).await
}

/// The region's queues and streams a mapping can read.
#[tauri::command]
pub async fn list_event_sources(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<EventSources, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    Ok(triggers::event_sources(&ctx).await)
}

/// Whether the function's role may read the source, and which template would let it.
#[tauri::command]
pub async fn check_mapping_role(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    event_source_arn: String,
) -> Result<RoleCheck, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::check_mapping_role(&ctx, &function_name, &event_source_arn).await
}

/// Checks the mapping and holds the plan that makes it.
#[tauri::command]
pub async fn plan_mapping(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    draft: MappingDraft,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = triggers::compile_mapping(&ctx, &function_name, &draft).await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

#[tauri::command]
pub async fn set_mapping_enabled(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    uuid: String,
    enabled: bool,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::set_mapping_enabled(&ctx, &function_name, &uuid, enabled).await
}

#[tauri::command]
pub async fn remove_mapping(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    uuid: String,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::remove_mapping(&ctx, &function_name, &uuid).await
}

/// Checks the function URL draft and holds the plan that makes it.
#[tauri::command]
pub async fn plan_function_url(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    draft: UrlDraft,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = triggers::compile_function_url(&ctx, &function_name, &draft).await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

#[tauri::command]
pub async fn remove_function_url(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    triggers::remove_function_url(&ctx, &function_name).await
}

/// Calls the function's URL ("Call it"); Rust reads the URL from the account.
#[tauri::command]
pub async fn call_function_url(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    request: UrlCallRequest,
) -> Result<CallResult, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    let gateway = state.gateway_url(&ctx);
    triggers::call_function_url(&ctx, gateway.as_deref(), &function_name, &request).await
}
