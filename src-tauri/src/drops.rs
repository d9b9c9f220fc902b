//! Files dropped on the window. Rust receives the drop, keeps the path under an id, and tells the
//! page the id (and the path, to show); the page can then ask for that package by id and nothing
//! else.

use std::path::PathBuf;

use lambdesk_core::package::DroppedPackage;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::AppState;

/// The event the page hears a drop by.
pub const DROPPED_EVENT: &str = "package-dropped";

/// Keeps the first dropped path and tells the main window. A page can listen to this event but
/// cannot raise it in Rust, where the path is kept.
pub fn received<R: Runtime>(app: &AppHandle<R>, paths: &[PathBuf]) {
    let Some(path) = paths.first() else {
        return;
    };
    let source = app.state::<AppState>().sources().add(path.clone());
    let dropped = DroppedPackage {
        source,
        path: path.display().to_string(),
    };
    if let Err(err) = app.emit_to("main", DROPPED_EVENT, dropped) {
        tracing::warn!(error = %err, "a dropped file did not reach the window");
    }
}

/// What the end-to-end tests use in place of a desktop drop, which WebDriver cannot make: the same
/// path through `received`. Only a build with the `e2e` feature has it, and only that build grants
/// the page the permission to call it (`test-capabilities/e2e.json`).
#[cfg(feature = "e2e")]
#[tauri::command]
pub fn simulate_drop<R: Runtime>(app: AppHandle<R>, paths: Vec<String>) {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    received(&app, &paths);
}
