//! A bare Tauri 2 app: one window with a Svelte page and nothing else, the baseline for Lambdesk's
//! launch time and memory in `make bench`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the bare Tauri app failed to start");
}
