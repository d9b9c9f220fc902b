//! The commands the UI may invoke: each one names its inputs and hands them to lambdesk-core.

pub mod create;
pub mod function;
pub mod logs;
pub mod triggers;

use lambdesk_core::AppError;
use lambdesk_core::aws::{Access, CallerIdentity, RegionInfo};
use lambdesk_core::lambda::{FunctionList, InvokeRequest, InvokeResult, RegionFunctions};
use lambdesk_core::profiles::{
    ImportMode, KeyringStatus, KeysInput, ProfileSettings, ProfileView, ProfilesOverview,
    Selection, SharedProfilesScan,
};
use lambdesk_core::sandbox_server::{self, SandboxProgress};
use lambdesk_core::test_events::{EventTemplate, SavedEvent, SavedEvents};
use lambdesk_core::validate;
use tauri::State;
use tauri::ipc::Channel;

use crate::AppState;

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> ProfilesOverview {
    state.profiles().overview()
}

/// Starts a sandbox of the app's own for the Local sandbox profile when nothing answers at its URL,
/// installing moto first if it never was; `on_progress` hears each step. Answers the profiles, the
/// sandbox's new URL among them.
#[tauri::command]
pub async fn start_sandbox(
    state: State<'_, AppState>,
    on_progress: Channel<SandboxProgress>,
) -> Result<ProfilesOverview, AppError> {
    let mut own = state.own_sandbox().lock().await;
    if !sandbox_server::answers(&state.profiles().sandbox_url()).await {
        if let Some(stopped) = own.take() {
            stopped.stop().await;
        }
        let report = |step: SandboxProgress| {
            if let Err(error) = on_progress.send(step) {
                tracing::debug!(%error, "the page stopped listening to the sandbox's start");
            }
        };
        let python = sandbox_server::find_python();
        let running = state
            .sandbox_home()
            .start(python.as_deref(), &report)
            .await?;
        state.use_new_sandbox(running.url())?;
        *own = Some(running);
    }
    Ok(state.profiles().overview())
}

#[tauri::command]
pub fn list_regions() -> Vec<RegionInfo> {
    lambdesk_core::aws::regions()
}

#[tauri::command]
pub async fn keyring_status(state: State<'_, AppState>) -> Result<KeyringStatus, AppError> {
    Ok(state.profiles().keyring_status().await)
}

#[tauri::command]
pub async fn recheck_keyring(state: State<'_, AppState>) -> Result<KeyringStatus, AppError> {
    Ok(state.profiles().recheck_keyring().await)
}

#[tauri::command]
pub async fn verify_keys(keys: KeysInput, region: String) -> Result<CallerIdentity, AppError> {
    validate::region(&region)?;
    validate::keys(&keys)?;
    let access = Access::Keys {
        keys: keys.keys(),
        endpoint_url: keys.endpoint(),
    };
    lambdesk_core::aws::verify(&access, &region).await
}

#[tauri::command]
pub async fn add_profile(
    state: State<'_, AppState>,
    settings: ProfileSettings,
    keys: KeysInput,
    session_only: bool,
) -> Result<ProfileView, AppError> {
    state
        .profiles()
        .add_keys_profile(&settings, &keys, session_only)
        .await
}

#[tauri::command]
pub async fn update_profile(
    state: State<'_, AppState>,
    id: String,
    settings: ProfileSettings,
    keys: Option<KeysInput>,
    session_only: bool,
) -> Result<ProfileView, AppError> {
    let new_keys = keys.as_ref().map(|keys| (keys, session_only));
    let updated = state
        .profiles()
        .update_profile(&id, &settings, new_keys)
        .await;
    state.forget_contexts(&id);
    updated
}

#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.profiles().delete_profile(&id).await?;
    state.forget_contexts(&id);
    Ok(())
}

#[tauri::command]
pub async fn scan_shared_profiles(
    state: State<'_, AppState>,
) -> Result<SharedProfilesScan, AppError> {
    state.profiles().scan_shared().await
}

#[tauri::command]
pub async fn import_shared_profile(
    state: State<'_, AppState>,
    shared_name: String,
    settings: ProfileSettings,
    mode: ImportMode,
) -> Result<ProfileView, AppError> {
    state
        .profiles()
        .import_shared(&shared_name, &settings, mode)
        .await
}

#[tauri::command]
pub fn select_context(state: State<'_, AppState>, selection: Selection) -> Result<(), AppError> {
    state.profiles().remember_selection(selection)
}

/// Every function of the context, sorted; each page of ListFunctions but the last also goes to
/// `on_page` as it arrives, so a long list fills in while the rest is read. The first list of the
/// profile and region the app opened on is the one read while it launched.
#[tauri::command]
pub async fn list_functions(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    on_page: Channel<FunctionList>,
) -> Result<FunctionList, AppError> {
    if let Some(listed) = state.take_launch_list(&profile_id, &region).await {
        return listed;
    }
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::list_functions_by_page(&ctx, |functions| {
        let page = FunctionList {
            context: ctx.tag(),
            functions: functions.to_vec(),
        };
        if let Err(error) = on_page.send(page) {
            tracing::debug!(%error, "the page stopped listening to the function list");
        }
    })
    .await
}

/// Every Lambda region's functions for the profile, a few regions at a time; `on_region` hears each
/// region as it is done. A region that fails is answered with its error beside the others.
#[tauri::command]
pub async fn list_functions_everywhere(
    state: State<'_, AppState>,
    profile_id: String,
    on_region: Channel<RegionFunctions>,
) -> Result<Vec<RegionFunctions>, AppError> {
    state.profiles().profile(&profile_id)?;
    let regions = lambdesk_core::aws::regions()
        .into_iter()
        .map(|region| region.code)
        .collect();
    let state = &*state;
    let profile_id = profile_id.as_str();
    Ok(lambdesk_core::lambda::list_functions_everywhere(
        regions,
        |region| async move { state.context(profile_id, &region).await },
        |done| {
            if let Err(error) = on_region.send(done.clone()) {
                tracing::debug!(%error, "the page stopped listening to the regions");
            }
        },
    )
    .await)
}

/// Invokes a function: Lambda runs it in an account; on the Local sandbox the local Lambda does.
#[tauri::command]
pub async fn invoke_function(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    request: InvokeRequest,
) -> Result<InvokeResult, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::invoke(&ctx, state.local(), &request).await
}

/// Runs a function of any account on this machine, with its code and configuration.
#[tauri::command]
pub async fn run_locally(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    event: String,
) -> Result<InvokeResult, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::run_locally(&ctx, state.local(), &function_name, &event).await
}

#[tauri::command]
pub fn list_event_templates() -> Vec<EventTemplate> {
    lambdesk_core::test_events::templates()
}

#[tauri::command]
pub async fn list_test_events(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<SavedEvents, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    state.test_events().list(&ctx, &function_name)
}

#[tauri::command]
pub async fn save_test_event(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    event: SavedEvent,
) -> Result<SavedEvents, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    state.test_events().save(&ctx, &function_name, event)
}

#[tauri::command]
pub async fn delete_test_event(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    name: String,
) -> Result<SavedEvents, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    state.test_events().delete(&ctx, &function_name, &name)
}

/// On a production profile the user must have typed the function's name to confirm.
#[tauri::command]
pub async fn delete_function(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    name: String,
    confirm_name: Option<String>,
) -> Result<(), AppError> {
    if state.profiles().profile(&profile_id)?.production {
        validate::typed_confirmation(&name, confirm_name.as_deref().unwrap_or_default())?;
    }
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::delete_function(&ctx, &name).await
}
