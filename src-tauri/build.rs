//! Generates Tauri's context and the app's command permissions, so each command must be granted
//! by name in `capabilities/`.

const COMMANDS: &[&str] = &["list_profiles", "list_functions"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
