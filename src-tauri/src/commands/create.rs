//! The create-function wizard's commands and Clean up: catalogues, checks, the plan for Review,
//! applying it with progress over a channel, and removing what Lambdesk created.

use std::path::Path;

use lambdesk_core::blueprints::Blueprint;
use lambdesk_core::create::{self, FunctionDraft};
use lambdesk_core::ledger::LedgerEntry;
use lambdesk_core::package::{self, PackageInfo};
use lambdesk_core::plan::{self, PlanEvent, PlanOutcome, PlanView};
use lambdesk_core::roles::{PolicyTemplate, RoleSummary};
use lambdesk_core::runtimes::{self, RuntimeTable};
use lambdesk_core::{AppError, ErrorKind, validate};
use tauri::State;
use tauri::ipc::Channel;

use crate::AppState;

/// Runs file work (zipping, reading packages) off the async runtime; `doing` names it if it panics.
async fn blocking<T: Send + 'static>(
    doing: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|err| AppError::new(ErrorKind::Unknown, format!("{doing} stopped: {err}")))
}

#[tauri::command]
pub fn list_runtimes() -> RuntimeTable {
    runtimes::table()
}

#[tauri::command]
pub fn list_blueprints() -> Vec<Blueprint> {
    lambdesk_core::blueprints::blueprints().to_vec()
}

#[tauri::command]
pub fn list_policy_templates() -> Vec<PolicyTemplate> {
    lambdesk_core::roles::templates().to_vec()
}

#[tauri::command]
pub async fn list_lambda_roles(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<Vec<RoleSummary>, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::roles::list_lambda_roles(&ctx).await
}

#[tauri::command]
pub async fn list_buckets(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<Vec<String>, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::storage::list_buckets(&ctx).await
}

/// A dropped or picked file or folder: a folder is zipped to a preview package first.
#[tauri::command]
pub async fn inspect_package(
    state: State<'_, AppState>,
    path: String,
) -> Result<PackageInfo, AppError> {
    let preview = package::staging_path(state.data_dir(), "folder-preview");
    blocking("Checking the package", move || {
        package::inspect_path(Path::new(&path), &preview)
    })
    .await?
}

/// Every rule the draft breaks, with the handler checked against the chosen zip or folder.
#[tauri::command]
pub async fn check_draft(draft: FunctionDraft) -> Result<Vec<AppError>, AppError> {
    blocking("Checking the draft", move || {
        create::check(&draft, &runtimes::today())
    })
    .await
}

async fn compiled(
    state: &AppState,
    profile_id: &str,
    region: &str,
    draft: FunctionDraft,
) -> Result<(lambdesk_core::AwsContext, plan::Plan), AppError> {
    let ctx = state.context(profile_id, region).await?;
    let data_dir = state.data_dir().to_owned();
    let (account, region) = (ctx.account_id.clone(), ctx.region.clone());
    let plan = blocking("Preparing the plan", move || {
        create::compile(&draft, &account, &region, &data_dir, &runtimes::today())
    })
    .await??;
    Ok((ctx, plan))
}

/// The plan Review shows. Builds the package; sends nothing to AWS.
#[tauri::command]
pub async fn plan_function(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    draft: FunctionDraft,
) -> Result<PlanView, AppError> {
    let (ctx, plan) = compiled(&state, &profile_id, &region, draft).await?;
    Ok(plan.view(&ctx))
}

/// Compiles the draft again (so what runs is what the rules allow now) and applies it.
#[tauri::command]
pub async fn create_function(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    draft: FunctionDraft,
    on_event: Channel<PlanEvent>,
) -> Result<PlanOutcome, AppError> {
    let (ctx, plan) = compiled(&state, &profile_id, &region, draft).await?;
    let report = |event: PlanEvent| {
        if let Err(err) = on_event.send(event) {
            tracing::warn!(error = %err, "a progress event did not reach the window");
        }
    };
    Ok(plan::run(&ctx, &plan, state.ledger(), &report).await)
}

/// Writes the plan's shell script where the user chose, executable.
#[tauri::command]
pub async fn save_script(path: String, script: String) -> Result<(), AppError> {
    tokio::fs::write(&path, script).await.map_err(|err| {
        AppError::new(ErrorKind::Unknown, format!("Could not save {path}: {err}"))
            .with_hint("Choose a folder you can write to.")
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tokio::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).await;
    }
    Ok(())
}

#[tauri::command]
pub async fn list_created(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<lambdesk_core::ledger::CreatedList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    Ok(lambdesk_core::ledger::CreatedList {
        entries: state.ledger().entries(&ctx.account_id, &ctx.region)?,
        context: ctx.tag(),
    })
}

/// On a production profile the user must have typed the resource's name to confirm.
#[tauri::command]
pub async fn clean_up(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    entry: LedgerEntry,
    confirm_name: Option<String>,
) -> Result<(), AppError> {
    if state.profiles().profile(&profile_id)?.production {
        validate::typed_confirmation(&entry.name, confirm_name.as_deref().unwrap_or_default())?;
    }
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::cleanup::clean_up(&ctx, state.ledger(), &entry).await
}
