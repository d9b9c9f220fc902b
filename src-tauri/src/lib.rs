//! The Tauri shell: sets up logging and state, and registers the commands, which are thin adapters
//! over lambdesk-core.

mod commands;
mod state;

use std::fs::OpenOptions;
use std::sync::Mutex;

use lambdesk_core::paths::AppDirs;
use lambdesk_core::profiles::Profile;
use tracing_subscriber::EnvFilter;

use state::AppState;

/// The environment variable that sets the log filter, e.g. `LAMBDESK_LOG=debug`.
const LOG_FILTER_VAR: &str = "LAMBDESK_LOG";

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
    init_logging(&dirs);
    let state = AppState::new(vec![Profile::sandbox_from_env()]);
    tracing::info!(config = %dirs.config.display(), data = %dirs.data.display(), "starting Lambdesk");

    setup(tauri::Builder::default(), state)
        .run(tauri::generate_context!())
        .expect("the Tauri application failed to run");
}

/// Everything the app registers: its state and the commands the UI may call.
fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::list_profiles,
            commands::list_functions,
        ])
}

/// Logs go to a file in the data directory, where a user can find them for a bug report.
fn init_logging(dirs: &AppDirs) {
    let filter = EnvFilter::try_from_env(LOG_FILTER_VAR)
        .unwrap_or_else(|_| EnvFilter::new("info,lambdesk=debug,lambdesk_core=debug"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    let log_file = dirs.log_file();
    match OpenOptions::new().create(true).append(true).open(&log_file) {
        Ok(file) => subscriber.with_writer(Mutex::new(file)).init(),
        Err(error) => {
            subscriber.with_writer(std::io::stderr).init();
            tracing::warn!(%error, path = %log_file.display(), "cannot open the log file; logging to stderr");
        }
    }
}
