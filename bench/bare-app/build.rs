//! Generates Tauri's context for the bare app.

fn main() {
    tauri_build::build();
}
