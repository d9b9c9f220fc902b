//! The function page's commands: its settings and package, the plans that change them (held in
//! Rust and run by id, as the wizard's are), downloading its package, and its log streams. The page
//! names a function, never a path: the package is the one Lambda describes, kept in the cache.

use lambdesk_core::configure::{self, ChangeReview, CodeReplacement};
use lambdesk_core::lambda::{FileEdit, FunctionDetails, FunctionSettings, PackageContents};
use lambdesk_core::logs::{LogStreams, StreamEvents};
use lambdesk_core::metrics::{FleetActivity, FunctionMetrics, MetricRange};
use lambdesk_core::plan::{PlanEvent, PlanOutcome};
use lambdesk_core::{AppError, ErrorKind, runtimes, validate};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::create::{blocking, run_held};
use crate::AppState;

#[tauri::command]
pub async fn function_details(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<FunctionDetails, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::function_details(&ctx, &function_name).await
}

/// Compares the settings with the function as it is now and holds the plan that applies them.
#[tauri::command]
pub async fn plan_configuration(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    settings: FunctionSettings,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let (plan, changes) = configure::compile_configuration(
        &ctx,
        state.local().code(),
        &function_name,
        &settings,
        &runtimes::today(),
    )
    .await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes,
    })
}

#[tauri::command]
pub async fn package_contents(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<PackageContents, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::lambda::package_contents(&ctx, state.local().code(), &function_name).await
}

/// Rebuilds the package with the edited files (made to the code `base_sha256`) and holds the plan
/// that deploys it.
#[tauri::command]
pub async fn plan_code_edits(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    base_sha256: String,
    edits: Vec<FileEdit>,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = configure::compile_code_edits(
        &ctx,
        state.local().code(),
        state.data_dir(),
        &function_name,
        &base_sha256,
        &edits,
    )
    .await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

/// Checks new code (a chosen or dropped zip or folder, named by id, or an S3 object) against the
/// function and holds the plan that deploys it.
#[tauri::command]
pub async fn plan_code_replacement(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    replacement: CodeReplacement,
) -> Result<ChangeReview, AppError> {
    state.changes().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = configure::compile_code_replacement(
        &ctx,
        state.local().code(),
        state.sources(),
        state.data_dir(),
        &function_name,
        &replacement,
    )
    .await?;
    Ok(ChangeReview {
        reviewed: state.changes().review(plan, &ctx),
        changes: Vec::new(),
    })
}

/// The user left the review of a change: its plan is dropped with its staged package.
#[tauri::command]
pub fn discard_change(state: State<'_, AppState>) {
    state.changes().drop_review();
}

/// Runs the reviewed change `plan_id` in the account and region it was reviewed for. It goes on
/// in Rust if the page is left.
#[tauri::command]
pub async fn apply_change<R: Runtime>(
    app: AppHandle<R>,
    plan_id: String,
    profile_id: String,
    region: String,
    on_event: Channel<PlanEvent>,
) -> Result<PlanOutcome, AppError> {
    let state = app.state::<AppState>();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = state.changes().start(&plan_id)?;
    run_held(app.clone(), ctx, plan, on_event, AppState::changes).await
}

/// Saves the function's current package where the user chooses in a save dialog Rust opens.
/// Returns where it went, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn save_package<R: Runtime>(
    app: AppHandle<R>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<Option<String>, AppError> {
    validate::function_name(&function_name)?;
    let state = app.state::<AppState>();
    let ctx = state.context(&profile_id, &region).await?;
    let zip =
        lambdesk_core::lambda::current_package(&ctx, state.local().code(), &function_name).await?;
    let dialog = app.dialog().file();
    let file_name = format!("{function_name}.zip");
    let chosen = blocking("Choosing where to save", move || {
        dialog
            .set_title("Save the function's package")
            .set_file_name(file_name)
            .add_filter("Zip package", &["zip"])
            .blocking_save_file()
    })
    .await?;
    let Some(path) = chosen.and_then(|chosen| chosen.into_path().ok()) else {
        return Ok(None);
    };
    tokio::fs::copy(&zip, &path).await.map_err(|err| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not save {}: {err}", path.display()),
        )
        .with_hint("Choose a folder you can write to.")
    })?;
    Ok(Some(path.display().to_string()))
}

/// The Monitor tab's charts: every series over the range, from one GetMetricData call.
#[tauri::command]
pub async fn function_metrics(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    range: MetricRange,
) -> Result<FunctionMetrics, AppError> {
    validate::function_name(&function_name)?;
    let ctx = state.context(&profile_id, &region).await?;
    let now = lambdesk_core::clock::now_ms();
    lambdesk_core::metrics::function_metrics(&ctx, &function_name, range, now).await
}

/// The Monitor page: every function of the context with its day's figures, read a call per 500
/// metrics.
#[tauri::command]
pub async fn fleet_activity(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<FleetActivity, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::metrics::fleet_activity(&ctx, lambdesk_core::clock::now_ms()).await
}

#[tauri::command]
pub async fn function_log_streams(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
) -> Result<LogStreams, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::logs::function_streams(&ctx, &function_name).await
}

#[tauri::command]
pub async fn log_stream_events(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    function_name: String,
    stream: String,
) -> Result<StreamEvents, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::logs::stream_events(&ctx, &function_name, &stream).await
}
