//! The Triggers tab's commands: the function's triggers read from the account, a schedule's
//! preview and its plan (run with `apply_change`, as every change to a function), and a trigger
//! turned off, on, or removed. The page names a rule; Rust acts on it only if the account shows it
//! as one of that function's triggers.

use lambdesk_core::AppError;
use lambdesk_core::configure::ChangeReview;
use lambdesk_core::triggers::{self, ScheduleDraft, SchedulePreview, TriggerList};
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
    triggers::list_triggers(&ctx, &function_name).await
}

/// Checks a schedule expression by AWS's rules and says when it runs next.
#[tauri::command]
pub fn preview_schedule(expression: String) -> Result<SchedulePreview, AppError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default();
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
    triggers::remove_rule_trigger(&ctx, state.ledger(), &function_name, &rule).await
}
