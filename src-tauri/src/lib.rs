//! The Tauri shell: sets up logging and state, and registers the commands, which are thin adapters
//! over lambdesk-core.

mod commands;
mod drops;
#[cfg(target_os = "linux")]
mod rendering;
mod state;
mod tails;

use std::sync::Arc;

use lambdesk_core::local::gateway::LocalGateway;
use lambdesk_core::paths::AppDirs;
use lambdesk_core::profiles::{Profile, ProfileStore, SharedFiles};
use lambdesk_core::sandbox_gateway::{SandboxApis, SandboxHost};
use lambdesk_core::secrets::KEYRING_SERVICE;
use tauri::webview::PageLoadEvent;
use tauri::{DragDropEvent, Manager, WebviewEvent};
use tokio::sync::Notify;

use state::AppState;

/// How often the sandbox's schedules and queues are checked: EventBridge's finest schedule is a
/// minute, and Lambda picks up a queued message within a second or two.
const TRIGGER_TICK: std::time::Duration = std::time::Duration::from_secs(2);

/// Staged packages older than this were left by an app that closed while a plan was under review.
const STAGED_PACKAGE_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

pub fn run() {
    let dirs = match AppDirs::from_env().and_then(|dirs| dirs.create().map(|()| dirs)) {
        Ok(dirs) => dirs,
        Err(error) => {
            eprintln!(
                "lambdesk: {error} {}",
                error.hint.as_deref().unwrap_or_default()
            );
            std::process::exit(1);
        }
    };
    lambdesk_core::logging::init(&dirs);
    lambdesk_core::package::prune_staged(&dirs.data, STAGED_PACKAGE_AGE);
    let profiles = ProfileStore::open(
        &dirs.config,
        Profile::sandbox_from_env(),
        SharedFiles::from_env(),
        KEYRING_SERVICE,
    );
    let state = AppState::new(profiles, &dirs);
    tracing::info!(config = %dirs.config.display(), data = %dirs.data.display(), "starting Lambdesk");

    setup(tauri::Builder::default(), state)
        .build(tauri::generate_context!())
        .expect("the Tauri application failed to start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // The local Lambda's warm runtimes and the app's own sandbox are the app's
                // children: none outlives it.
                let state = app.state::<AppState>();
                tauri::async_runtime::block_on(async {
                    state.local().stop_all().await;
                    if let Some(sandbox) = state.own_sandbox().lock().await.take() {
                        sandbox.stop().await;
                    }
                });
            }
        });
}

/// Everything the app registers: its state, the list the app opens on read as it starts, files
/// dropped on the window, and the commands the UI may call. The keyring is not opened here: the
/// first profile that needs its keys, or the Profiles page asking whether the store works, opens
/// it, so a launch on the Local sandbox never waits on the Secret Service or an unlock prompt.
fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let page_started = Arc::new(Notify::new());
    let page_starting = page_started.clone();
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .on_page_load(move |_, payload| {
            if payload.event() == PageLoadEvent::Started {
                page_starting.notify_one();
            }
        })
        .on_webview_event(|webview, event| {
            if let WebviewEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                drops::received(webview.app_handle(), paths);
            }
        })
        .setup(|app| {
            #[cfg(feature = "e2e")]
            app.add_capability(include_str!("../test-capabilities/e2e.json"))?;
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                rendering::draw_in_software_without_a_gpu(&window);
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                state.list_where_the_app_opens(&page_started).await;
            });
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { run_sandbox_triggers(handle).await });
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { serve_sandbox_apis(handle).await });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_profiles,
            commands::list_regions,
            commands::start_sandbox,
            commands::keyring_status,
            commands::recheck_keyring,
            commands::verify_keys,
            commands::add_profile,
            commands::update_profile,
            commands::delete_profile,
            commands::scan_shared_profiles,
            commands::import_shared_profile,
            commands::select_context,
            commands::list_functions,
            commands::list_functions_everywhere,
            commands::delete_function,
            commands::invoke_function,
            commands::run_locally,
            commands::list_event_templates,
            commands::list_test_events,
            commands::save_test_event,
            commands::delete_test_event,
            commands::function::function_details,
            commands::function::plan_configuration,
            commands::function::package_contents,
            commands::function::plan_code_edits,
            commands::function::plan_code_replacement,
            commands::function::discard_change,
            commands::function::apply_change,
            commands::function::save_package,
            commands::function::function_metrics,
            commands::function::fleet_activity,
            commands::function::function_log_streams,
            commands::logs::list_log_groups,
            commands::logs::filter_log_events,
            commands::logs::start_tail,
            commands::logs::poll_tail,
            commands::logs::stop_tail,
            commands::function::log_stream_events,
            commands::triggers::list_triggers,
            commands::triggers::preview_schedule,
            commands::triggers::plan_schedule,
            commands::triggers::set_trigger_enabled,
            commands::triggers::remove_trigger,
            commands::triggers::list_rest_apis,
            commands::triggers::plan_rest_api,
            commands::triggers::remove_api_trigger,
            commands::triggers::call_api,
            commands::triggers::check_proxy_response,
            commands::triggers::list_event_sources,
            commands::triggers::check_mapping_role,
            commands::triggers::plan_mapping,
            commands::triggers::set_mapping_enabled,
            commands::triggers::remove_mapping,
            commands::triggers::plan_function_url,
            commands::triggers::remove_function_url,
            commands::triggers::call_function_url,
            commands::create::list_runtimes,
            commands::create::list_blueprints,
            commands::create::list_policy_templates,
            commands::create::list_lambda_roles,
            commands::create::list_buckets,
            commands::create::pick_package,
            commands::create::inspect_package,
            commands::create::check_draft,
            commands::create::plan_function,
            commands::create::discard_plan,
            commands::create::create_function,
            commands::create::current_run,
            commands::create::dismiss_run,
            commands::create::save_script,
            commands::create::list_created,
            commands::create::clean_up,
            #[cfg(feature = "e2e")]
            drops::simulate_drop,
        ])
}

/// While the app runs, fires the Local sandbox's enabled schedules and delivers its mapped queues'
/// messages in every region opened on it, as EventBridge and Lambda do in an account. It ends with
/// the app.
async fn run_sandbox_triggers<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let mut ticks = tokio::time::interval(TRIGGER_TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        ticks.tick().await;
        let state = app.state::<AppState>();
        let now = lambdesk_core::clock::now_ms();
        for ctx in state.local_contexts() {
            if let Err(error) = state.scheduler().tick(&ctx, state.local(), now).await {
                tracing::debug!(%error, region = %ctx.region, "the sandbox's schedules were not checked");
            }
            if let Err(error) = lambdesk_core::queue_delivery::deliver(&ctx, state.local()).await {
                tracing::debug!(%error, region = %ctx.region, "the sandbox's queues were not polled");
            }
        }
    }
}

/// The app as the sandbox's API gateway sees it: the sandbox regions open, and the local Lambda.
struct GatewayHost<R: tauri::Runtime> {
    app: tauri::AppHandle<R>,
}

impl<R: tauri::Runtime> SandboxHost for GatewayHost<R> {
    fn contexts(&self) -> Vec<lambdesk_core::AwsContext> {
        self.app.state::<AppState>().local_contexts()
    }

    fn local(&self) -> &lambdesk_core::local::LocalLambda {
        self.app.state::<AppState>().inner().local()
    }
}

/// Starts the local gateway that serves the Local sandbox's REST APIs on loopback, as API Gateway
/// serves an account's; it stops with the app.
async fn serve_sandbox_apis<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let routes = Arc::new(SandboxApis::new(Arc::new(GatewayHost { app: app.clone() })));
    match LocalGateway::start(routes).await {
        Ok(gateway) => app.state::<AppState>().set_gateway(gateway),
        Err(error) => tracing::warn!(%error, "the sandbox's APIs are not served"),
    }
}

#[cfg(test)]
mod tests;
