//! Generates Tauri's context and the app's command permissions, so each command must be granted
//! by name in `capabilities/`. The test-only command exists (with its permission) only in a build
//! with the `e2e` feature. Also sets the link arguments the bench's bare app shares (`link.rs`).

mod link;

const COMMANDS: &[&str] = &[
    "list_profiles",
    "list_regions",
    "start_sandbox",
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
    "list_functions_everywhere",
    "delete_function",
    "invoke_function",
    "run_locally",
    "list_event_templates",
    "list_test_events",
    "save_test_event",
    "delete_test_event",
    "function_details",
    "plan_configuration",
    "package_contents",
    "plan_code_edits",
    "plan_code_replacement",
    "discard_change",
    "apply_change",
    "save_package",
    "function_metrics",
    "fleet_activity",
    "function_log_streams",
    "log_stream_events",
    "list_log_groups",
    "filter_log_events",
    "start_tail",
    "poll_tail",
    "stop_tail",
    "list_triggers",
    "preview_schedule",
    "plan_schedule",
    "set_trigger_enabled",
    "remove_trigger",
    "list_rest_apis",
    "plan_rest_api",
    "remove_api_trigger",
    "call_api",
    "check_proxy_response",
    "list_event_sources",
    "check_mapping_role",
    "plan_mapping",
    "set_mapping_enabled",
    "remove_mapping",
    "plan_function_url",
    "remove_function_url",
    "call_function_url",
    "list_runtimes",
    "list_blueprints",
    "list_policy_templates",
    "list_lambda_roles",
    "list_buckets",
    "pick_package",
    "inspect_package",
    "check_draft",
    "plan_function",
    "discard_plan",
    "create_function",
    "current_run",
    "dismiss_run",
    "save_script",
    "list_created",
    "clean_up",
];

const TEST_COMMANDS: &[&str] = &["simulate_drop"];

fn main() {
    println!("cargo:rerun-if-changed=test-capabilities");
    link::pack_relative_relocations();
    let mut commands = COMMANDS.to_vec();
    if std::env::var_os("CARGO_FEATURE_E2E").is_some() {
        commands.extend_from_slice(TEST_COMMANDS);
    }
    // The manifest wants the list for the whole build; leaking it once is what a build script may do.
    let commands: &'static [&'static str] = commands.leak();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
