//! The create-function wizard's commands and Clean up: catalogues, checks, the plan for Review,
//! applying it with progress over a channel, and removing what Lambdesk created. No command takes a
//! path, a script or a resource from the page: files are the ones the user chose in a dialog Rust
//! opened or dropped on the window (named by id), the plan is the one Rust compiled (named by id),
//! and Clean up removes what the ledger lists (named by id).

use lambdesk_core::blueprints::Blueprint;
use lambdesk_core::create::{self, FunctionDraft, Target};
use lambdesk_core::iam::{PolicyTemplate, RoleList};
use lambdesk_core::ledger::CreatedList;
use lambdesk_core::package::{self, PackageInfo};
use std::sync::Arc;

use lambdesk_core::AwsContext;
use lambdesk_core::plan::{self, Plan, PlanEvent, PlanOutcome, PlanRun, Plans, ReviewedPlan};
use lambdesk_core::runtimes::{self, RuntimeTable};
use lambdesk_core::s3::BucketList;
use lambdesk_core::{AppError, ErrorKind, validate};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::AppState;

/// Runs blocking work (zipping, reading packages, a native dialog) off the async runtime; `doing`
/// names it if it panics.
pub(crate) async fn blocking<T: Send + 'static>(
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
    lambdesk_core::iam::templates().to_vec()
}

#[tauri::command]
pub async fn list_lambda_roles(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<RoleList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::iam::list_lambda_roles(&ctx).await
}

#[tauri::command]
pub async fn list_buckets(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<BucketList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    lambdesk_core::s3::list_buckets(&ctx).await
}

/// Opens the native dialog for a .zip (or a folder), keeps what the user chose, and checks it.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn pick_package<R: Runtime>(
    app: AppHandle<R>,
    folder: bool,
) -> Result<Option<PackageInfo>, AppError> {
    let dialog = app.dialog().file();
    let picked = blocking("Choosing the code", move || {
        if folder {
            dialog
                .set_title("Choose the folder with the code")
                .blocking_pick_folder()
        } else {
            dialog
                .set_title("Choose a .zip package")
                .add_filter("Zip package", &["zip"])
                .blocking_pick_file()
        }
    })
    .await?;
    let Some(path) = picked.and_then(|picked| picked.into_path().ok()) else {
        return Ok(None);
    };
    let state = app.state::<AppState>();
    let source = state.sources().add(path.clone());
    let data_dir = state.data_dir().to_owned();
    blocking("Checking the package", move || {
        package::inspect_source(&source, &path, &data_dir)
    })
    .await?
    .map(Some)
}

/// Checks a package the user dropped on the window, named by the id Rust gave the drop.
#[tauri::command]
pub async fn inspect_package(
    state: State<'_, AppState>,
    source: String,
) -> Result<PackageInfo, AppError> {
    let path = state.sources().path(&source)?;
    let data_dir = state.data_dir().to_owned();
    blocking("Checking the package", move || {
        package::inspect_source(&source, &path, &data_dir)
    })
    .await?
}

/// Every rule the draft breaks, with the handler checked against the chosen zip or folder.
#[tauri::command]
pub async fn check_draft<R: Runtime>(
    app: AppHandle<R>,
    draft: FunctionDraft,
) -> Result<Vec<AppError>, AppError> {
    blocking("Checking the draft", move || {
        create::check(
            &draft,
            &runtimes::today(),
            app.state::<AppState>().sources(),
        )
    })
    .await
}

/// Compiles the draft into the plan Review shows, and holds it for Create and Save as script.
/// Builds the package; sends nothing to AWS.
#[tauri::command]
pub async fn plan_function<R: Runtime>(
    app: AppHandle<R>,
    profile_id: String,
    region: String,
    draft: FunctionDraft,
) -> Result<ReviewedPlan, AppError> {
    let state = app.state::<AppState>();
    state.plans().drop_review();
    let ctx = state.context(&profile_id, &region).await?;
    let compiled = {
        let (app, ctx) = (app.clone(), ctx.clone());
        blocking("Preparing the plan", move || {
            let state = app.state::<AppState>();
            create::compile(
                &draft,
                &Target {
                    account: &ctx.account_id,
                    region: &ctx.region,
                    data_dir: state.data_dir(),
                    today: &runtimes::today(),
                    sources: state.sources(),
                },
            )
        })
        .await??
    };
    Ok(state.plans().review(compiled, &ctx))
}

/// The user left Review: the plan is dropped with its staged package.
#[tauri::command]
pub fn discard_plan(state: State<'_, AppState>) {
    state.plans().drop_review();
}

/// Runs the reviewed plan `plan_id` in the account and region it was reviewed for, refusing any
/// other. The run goes on in Rust if the page is left; `current_run` shows it again.
#[tauri::command]
pub async fn create_function<R: Runtime>(
    app: AppHandle<R>,
    plan_id: String,
    profile_id: String,
    region: String,
    on_event: Channel<PlanEvent>,
) -> Result<PlanOutcome, AppError> {
    let state = app.state::<AppState>();
    let ctx = state.context(&profile_id, &region).await?;
    let plan = state.plans().start(&plan_id)?;
    run_held(app.clone(), ctx, plan, on_event, AppState::plans).await
}

/// Runs a plan taken from `held` in a task of its own, so it goes on if the page is left; each
/// event is recorded there and sent to the window, and the outcome is kept.
pub(crate) async fn run_held<R: Runtime>(
    app: AppHandle<R>,
    ctx: AwsContext,
    plan: Arc<Plan>,
    on_event: Channel<PlanEvent>,
    held: fn(&AppState) -> &Plans,
) -> Result<PlanOutcome, AppError> {
    let run = tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let report = |event: PlanEvent| {
            held(&state).record(&event);
            if let Err(err) = on_event.send(event) {
                tracing::debug!(error = %err, "a progress event did not reach the window");
            }
        };
        let outcome = plan::run(&ctx, &plan, state.ledger(&ctx), &report).await;
        plan.discard();
        held(&state).finish(&outcome);
        outcome
    });
    run.await
        .map_err(|err| AppError::new(ErrorKind::Unknown, format!("The plan stopped: {err}")))
}

/// The plan running, or the last one run until the user moved on.
#[tauri::command]
pub fn current_run(state: State<'_, AppState>) -> Option<PlanRun> {
    state.plans().run()
}

#[tauri::command]
pub fn dismiss_run(state: State<'_, AppState>) {
    state.plans().dismiss_run();
}

/// Writes the reviewed plan's shell script where the user chooses in a save dialog Rust opens,
/// executable. Returns where it went, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn save_script<R: Runtime>(
    app: AppHandle<R>,
    plan_id: String,
) -> Result<Option<String>, AppError> {
    let (file_name, script) = app.state::<AppState>().plans().script(&plan_id)?;
    let dialog = app.dialog().file();
    let chosen = blocking("Choosing where to save", move || {
        dialog
            .set_title("Save the plan as a shell script")
            .set_file_name(file_name)
            .add_filter("Shell script", &["sh"])
            .blocking_save_file()
    })
    .await?;
    let Some(path) = chosen.and_then(|chosen| chosen.into_path().ok()) else {
        return Ok(None);
    };
    let failed = |err: std::io::Error| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not save {}: {err}", path.display()),
        )
        .with_hint("Choose a folder you can write to.")
    };
    tokio::fs::write(&path, script).await.map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tokio::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .await
            .map_err(failed)?;
    }
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn list_created(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
) -> Result<CreatedList, AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    Ok(CreatedList {
        entries: state.ledger(&ctx).entries(&ctx.account_id, &ctx.region)?,
        context: ctx.tag(),
    })
}

/// Removes the resource the ledger lists under `entry_id` for this account and region; anything
/// else is refused. On a production profile the user must have typed its name to confirm.
#[tauri::command]
pub async fn clean_up(
    state: State<'_, AppState>,
    profile_id: String,
    region: String,
    entry_id: String,
    confirm_name: Option<String>,
) -> Result<(), AppError> {
    let ctx = state.context(&profile_id, &region).await?;
    if state.profiles().profile(&profile_id)?.production
        && let Some(entry) = state
            .ledger(&ctx)
            .entry(&ctx.account_id, &ctx.region, &entry_id)?
    {
        validate::typed_confirmation(&entry.name, confirm_name.as_deref().unwrap_or_default())?;
    }
    lambdesk_core::cleanup::clean_up(&ctx, state.ledger(&ctx), &entry_id).await
}
