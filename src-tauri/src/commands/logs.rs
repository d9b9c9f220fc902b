//! The log explorer's commands: the account's log groups, a query's events, and the tail (a Live
//! Tail session or a polling one), which Rust holds by id so each event is handed out once; the
//! page polls it and stops it when it leaves or the account changes.

use lambdesk_core::AppError;
use lambdesk_core::logs::{self, FoundEvent, LogEventsPage, LogGroupPage, LogQuery, TailStarted};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_log_groups(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    prefix: String,
    next_token: Option<String>,
) -> Result<LogGroupPage, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    logs::log_groups(&ctx, &prefix, next_token).await
}

#[tauri::command]
pub async fn filter_log_events(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    query: LogQuery,
) -> Result<LogEventsPage, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    logs::filter_events(&ctx, &query).await
}

/// Starts following a group from now, with a Live Tail session where the endpoint has one; says
/// which, and the tail's id for `poll_tail`.
#[tauri::command]
pub async fn start_tail(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    group: String,
    pattern: String,
) -> Result<TailStarted, AppError> {
    lambdesk_core::validate::log_group_name(&group)?;
    let ctx = state.context(&profile_id, &region).await?;
    let now = lambdesk_core::clock::now_ms();
    let (tail, why_polling) = logs::Tail::start(&ctx, &group, &pattern, now).await?;
    let mode = tail.mode();
    Ok(TailStarted {
        tail_id: state.tails().start(ctx, tail),
        mode,
        why_polling,
    })
}

/// What came since the last poll, in order, each event once.
#[tauri::command]
pub async fn poll_tail(
    state: State<'_, AppState>,
    tail_id: String,
) -> Result<Vec<FoundEvent>, AppError> {
    state.tails().poll(&tail_id).await
}

#[tauri::command]
pub fn stop_tail(state: State<'_, AppState>, tail_id: String) {
    state.tails().stop(&tail_id);
}
