//! Generates Tauri's context and the app's command permissions, so each command must be granted
//! by name in `capabilities/`.

const COMMANDS: &[&str] = &[
    "list_profiles",
    "list_regions",
    "keyring_status",
    "recheck_keyring",
    "verify_keys",
    "add_profile",
    "update_profile",
    "delete_profile",
    "scan_shared_profiles",
    "import_shared_profile",
    "select_context",
    "list_functions",
    "delete_function",
    "list_runtimes",
    "list_blueprints",
    "list_policy_templates",
    "list_lambda_roles",
    "list_buckets",
    "inspect_package",
    "check_draft",
    "plan_function",
    "create_function",
    "save_script",
    "list_created",
    "clean_up",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
