//! The commands the UI may invoke: each one names its inputs and hands them to lambdesk-core.

use lambdesk_core::AppError;
use lambdesk_core::functions::FunctionList;
use lambdesk_core::profiles::ProfileView;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Vec<ProfileView> {
    state
        .profiles()
        .iter()
        .map(|profile| profile.view())
        .collect()
}

#[tauri::command]
pub async fn list_functions(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<FunctionList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::functions::list_functions(&ctx).await
}
