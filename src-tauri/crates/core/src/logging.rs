//! Logging to a file in the data folder, where a user can find it for a bug report. The default
//! filter keeps the SDK's request-level logs out: at trace level they carry signed headers.

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::paths::AppDirs;

/// The environment variable that sets the log filter, e.g. `LAMBDESK_LOG=debug`.
pub const LOG_FILTER_VAR: &str = "LAMBDESK_LOG";
pub const DEFAULT_FILTER: &str = "info,lambdesk=debug,lambdesk_core=debug";

/// Installs the global subscriber; logs go to stderr when the file cannot be opened.
pub fn init(dirs: &AppDirs) {
    let filter =
        EnvFilter::try_from_env(LOG_FILTER_VAR).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
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
