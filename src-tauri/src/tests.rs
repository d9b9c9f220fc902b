//! The commands as a hostile page would call them, on Tauri's mock runtime against the run's own
//! sandbox: a path, a script or a resource the page names is never acted on, and a shipped build
//! has no test-only command or permission.

use std::path::{Path, PathBuf};

use lambdesk_core::ledger::{LedgerEntry, ResourceKind};
use lambdesk_core::paths::AppDirs;
use lambdesk_core::profiles::{Profile, ProfileStore, SharedFiles};
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::state::AppState;

struct TestApp {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    home: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn sandbox_url() -> String {
    std::env::var("LAMBDESK_TEST_SANDBOX_URL").expect(
        "LAMBDESK_TEST_SANDBOX_URL is not set: run these tests with `make test-shell`, which starts a sandbox",
    )
}

fn app(label: &str) -> TestApp {
    let home = std::env::temp_dir().join(format!("lambdesk-shell-{label}-{}", std::process::id()));
    let app = crate::setup(mock_builder(), state_in(&home))
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    TestApp { app, window, home }
}

fn invoke(app: &TestApp, command: &str, args: Value) -> Result<Value, Value> {
    tauri::test::get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: command.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: args.into(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_owned(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn save_script_writes_no_path_or_script_the_page_sends() {
    let app = app("save");
    let target = app.home.join("evil.sh");
    let answer = invoke(
        &app,
        "save_script",
        json!({ "planId": "plan-1", "path": target, "script": "#!/bin/sh\nrm -rf ~\n" }),
    );
    let error = answer.expect_err("no plan is under review, so nothing is saved");
    assert_eq!(error["kind"], "Validation", "{error}");
    assert!(!target.exists(), "the page's path was written");

    let without_plan = invoke(
        &app,
        "save_script",
        json!({ "path": target, "script": "x" }),
    );
    assert!(without_plan.is_err(), "a plan id is required");
    assert!(!target.exists());
}

#[test]
fn inspect_package_reads_only_what_the_user_chose_or_dropped() {
    let app = app("inspect");
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let ssh = Path::new(&home).join(".ssh");
    let by_path = invoke(&app, "inspect_package", json!({ "path": ssh }));
    assert!(by_path.is_err(), "a path is not even an argument");
    for named in [ssh.display().to_string(), home.clone(), "source-1".into()] {
        let error = invoke(&app, "inspect_package", json!({ "source": named }))
            .expect_err("an id Rust never gave out is refused");
        assert_eq!(error["field"], "package", "{error}");
    }
    assert!(
        !app.home.join("data/packages").exists(),
        "nothing was zipped or staged"
    );
}

#[test]
fn clean_up_refuses_what_the_ledger_does_not_list() {
    let app = app("cleanup");
    let entry = json!({ "kind": "Function", "name": "orders-api", "bucket": null, "arn": null,
        "createdFor": "orders-api", "createdAt": "2026-01-01T00:00:00Z" });
    let by_entry = invoke(
        &app,
        "clean_up",
        json!({ "profileId": "sandbox", "region": "us-east-1", "entry": entry, "confirmName": null }),
    );
    assert!(
        by_entry.is_err(),
        "a described resource is not even an argument"
    );
    let error = invoke(
        &app,
        "clean_up",
        json!({ "profileId": "sandbox", "region": "us-east-1", "entryId": "function:orders-api", "confirmName": null }),
    )
    .expect_err("the ledger lists nothing, so nothing may be cleaned up");
    assert_eq!(error["kind"], "NotFound", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("lists no"),
        "{error}"
    );
}

#[test]
fn start_sandbox_keeps_a_sandbox_that_answers() {
    let app = app("own-sandbox");
    let overview = invoke(
        &app,
        "start_sandbox",
        json!({ "onProgress": "__CHANNEL__:1" }),
    )
    .expect("a sandbox answers at the profile's URL");
    assert_eq!(overview["profiles"][0]["id"], "sandbox", "{overview}");
    assert_eq!(overview["profiles"][0]["endpointUrl"], sandbox_url());
    assert!(
        !app.home.join("data/sandbox").exists(),
        "nothing was installed or started"
    );
}

#[test]
fn a_new_sandbox_starts_with_an_empty_ledger_and_accounts_keep_theirs() {
    let app = app("new-sandbox");
    let state = app.app.state::<AppState>();
    let sandbox = tauri::async_runtime::block_on(state.context("sandbox", "us-east-1")).unwrap();
    let mut account = sandbox.clone();
    account.profile_id = "work".into();
    account.runs_code_locally = false;
    let entry = LedgerEntry::new(ResourceKind::Function, "hello-world", "hello-world");
    for ctx in [&sandbox, &account] {
        state
            .ledger(ctx)
            .record(&ctx.account_id, &ctx.region, entry.clone())
            .unwrap();
    }
    let created = |app: &TestApp| {
        invoke(
            app,
            "list_created",
            json!({ "profileId": "sandbox", "region": "us-east-1" }),
        )
        .unwrap()["entries"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(created(&app), 1);

    state.use_new_sandbox(&sandbox_url()).unwrap();
    assert_eq!(
        created(&app),
        0,
        "the old sandbox's resources are gone with it"
    );
    assert_eq!(
        state
            .ledger(&account)
            .entries(&account.account_id, &account.region)
            .unwrap(),
        [entry]
    );
}

/// The app's state with its config and data under `home`, emptied first, and the run's sandbox.
fn state_in(home: &Path) -> AppState {
    let _ = std::fs::remove_dir_all(home);
    std::fs::create_dir_all(home).unwrap();
    let profiles = ProfileStore::open(
        &home.join("config"),
        Profile::sandbox(sandbox_url()),
        SharedFiles {
            config: home.join("aws/config"),
            credentials: home.join("aws/credentials"),
        },
        "lambdesk-shell-test",
    );
    AppState::new(
        profiles,
        &AppDirs {
            config: home.join("config"),
            data: home.join("data"),
        },
    )
}

#[test]
fn the_list_read_at_launch_answers_only_the_first_list_of_its_profile_and_region() {
    let home =
        std::env::temp_dir().join(format!("lambdesk-shell-launch-list-{}", std::process::id()));
    let state = state_in(&home);
    let name = format!("shell-launch-{}", std::process::id());
    // The names the first list of a region of the sandbox answers with, when it takes the launch's.
    let first_list = async |region: &str| {
        state
            .take_launch_list("sandbox", region)
            .await
            .map(|listed| {
                let functions = listed.unwrap().functions;
                functions.into_iter().map(|f| f.name).collect::<Vec<_>>()
            })
    };
    tauri::async_runtime::block_on(async {
        state.list_at_launch("sandbox", "us-east-1").await;
        seed_function(&name);
        assert_eq!(
            first_list("eu-west-1").await,
            None,
            "another region's first list reads its own"
        );
        assert_eq!(
            first_list("us-east-1").await,
            None,
            "and the launch's answer is then dropped"
        );

        state.list_at_launch("sandbox", "us-east-1").await;
        let made_after = format!("{name}-after");
        seed_function(&made_after);
        let at_launch = first_list("us-east-1")
            .await
            .expect("the first list takes the launch's answer");
        assert!(
            at_launch.contains(&name) && !at_launch.contains(&made_after),
            "{at_launch:?}"
        );
        assert_eq!(
            first_list("us-east-1").await,
            None,
            "a second list reads again"
        );

        state.list_at_launch("sandbox", "us-east-1").await;
        state.forget_contexts("sandbox");
        assert_eq!(
            first_list("us-east-1").await,
            None,
            "a changed profile's launch answer is dropped"
        );
    });
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn the_sandboxs_list_at_launch_waits_for_the_page_to_start_loading() {
    let home =
        std::env::temp_dir().join(format!("lambdesk-shell-launch-wait-{}", std::process::id()));
    let state = state_in(&home);
    let region = state.profiles().overview().selection.region;
    let page_started = tokio::sync::Notify::new();
    tauri::async_runtime::block_on(async {
        let listing = state.list_where_the_app_opens(&page_started);
        tokio::pin!(listing);
        let before_the_page =
            tokio::time::timeout(std::time::Duration::from_millis(300), &mut listing).await;
        assert!(
            before_the_page.is_err(),
            "it listed before the page started"
        );
        assert!(
            state.take_launch_list("sandbox", &region).await.is_none(),
            "nothing was read for the page to take"
        );
        page_started.notify_one();
        listing.await;
        assert!(
            state.take_launch_list("sandbox", &region).await.is_some(),
            "once the page starts, the list is read for it"
        );
    });
    std::fs::remove_dir_all(&home).unwrap();
}

/// Seeds a Python function in the run's sandbox with the project's sandbox script, as `make run`
/// seeds its examples.
fn seed_function(name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = std::process::Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/sandbox.py"))
        .args(["seed", "--url", &sandbox_url(), name])
        .status()
        .expect("the sandbox script runs");
    assert!(status.success(), "seeding {name} failed");
}

#[test]
fn invoke_runs_the_named_function_on_the_local_lambda_and_nothing_the_page_names() {
    let app = app("invoke");
    let name = format!("shell-invoke-{}", std::process::id());
    seed_function(&name);
    let request = |function: &str, payload: &str| {
        json!({ "profileId": "sandbox", "region": "us-east-1", "request": {
            "functionName": function, "payload": payload, "invocationType": "RequestResponse",
            "tailLog": true,
            // Not arguments: a page cannot choose the code, handler or runtime that runs.
            "handler": "os.system", "code": "/bin/sh" } })
    };

    let answer = invoke(
        &app,
        "invoke_function",
        request(&name, r#"{"key1":"value1"}"#),
    )
    .expect("the seeded function runs");
    assert_eq!(answer["payload"], "\"Hello World\"", "{answer}");
    assert_eq!(answer["ranLocally"], true);
    assert_eq!(answer["statusCode"], 200);
    assert!(answer["report"]["durationMs"].as_f64().unwrap() > 0.0);

    for hostile in ["../../bin/sh", "/etc/passwd", "a b"] {
        let error = invoke(&app, "invoke_function", request(hostile, "{}"))
            .expect_err("a name that is no function name is refused");
        assert_eq!(error["kind"], "Validation", "{error}");
        let error = invoke(
            &app,
            "run_locally",
            json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": hostile, "event": "{}" }),
        )
        .expect_err("Run locally refuses it too");
        assert_eq!(error["kind"], "Validation", "{error}");
    }
}

#[test]
fn the_function_page_edits_only_the_packages_files_and_applies_only_a_reviewed_plan() {
    let app = app("function-page");
    let name = format!("shell-page-{}", std::process::id());
    seed_function(&name);
    let at = |extra: Value| {
        let mut args =
            json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": name });
        args.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        args
    };
    let contents = invoke(&app, "package_contents", at(json!({}))).expect("the package is listed");
    let sha = contents["codeSha256"].as_str().unwrap().to_owned();
    let outside = app.home.join("outside.txt");
    for path in [
        "../../outside.txt",
        outside.to_str().unwrap(),
        "lambda_function.py/../../x",
    ] {
        let error = invoke(
            &app,
            "plan_code_edits",
            at(json!({ "baseSha256": sha, "edits": [{ "path": path, "text": "pwned" }] })),
        )
        .expect_err("an edit to a file the package does not hold is refused");
        assert_eq!(error["field"], "files", "{error}");
    }
    assert!(!outside.exists(), "nothing was written outside the package");
    let error = invoke(
        &app,
        "plan_code_replacement",
        at(json!({ "replacement": { "kind": "upload", "source": "/etc", "staging": null } })),
    )
    .expect_err("a path is not a package id");
    assert_eq!(error["field"], "package", "{error}");
    let error = invoke(&app, "log_stream_events", at(json!({ "stream": "*" })))
        .expect_err("no stream pattern");
    assert_eq!(error["field"], "logStream", "{error}");
    let error = invoke(
        &app,
        "apply_change",
        json!({ "planId": "plan-1", "profileId": "sandbox", "region": "us-east-1",
                "onEvent": "__CHANNEL__:1", "settings": { "memoryMb": 10240 } }),
    )
    .expect_err("no plan was reviewed");
    assert_eq!(error["kind"], "Validation", "{error}");
    for hostile in ["../../etc", "/tmp/x"] {
        let error = invoke(
            &app,
            "package_contents",
            json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": hostile }),
        )
        .expect_err("a path is not a function name");
        assert_eq!(error["kind"], "Validation", "{error}");
    }
}

#[test]
fn a_trigger_is_acted_on_only_when_the_account_shows_it_runs_that_function() {
    let app = app("triggers");
    let name = format!("shell-triggers-{}", std::process::id());
    seed_function(&name);
    let at = |rule: &str| json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": name, "rule": rule, "enabled": false });
    for command in ["remove_trigger", "set_trigger_enabled"] {
        let error = invoke(&app, command, at("someone-elses-rule"))
            .expect_err("not a trigger of this function");
        assert_eq!(error["kind"], "NotFound", "{command}: {error}");
        let error = invoke(&app, command, at("*")).expect_err("not a rule name");
        assert_eq!(error["field"], "ruleName", "{command}: {error}");
    }
    let error = invoke(
        &app,
        "plan_schedule",
        json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": name,
                "draft": { "ruleName": "every-minute", "expression": "rate(1 minutes)", "description": "" } }),
    )
    .expect_err("what AWS refuses is refused here");
    assert_eq!(error["field"], "scheduleExpression", "{error}");
}

#[test]
fn an_api_method_or_a_mapping_is_acted_on_only_when_the_account_shows_it_is_that_functions() {
    let app = app("api-triggers");
    let name = format!("shell-api-{}", std::process::id());
    seed_function(&name);
    let base = json!({ "profileId": "sandbox", "region": "us-east-1", "functionName": name });
    let with = |extra: Value| {
        let mut args = base.clone();
        args.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        args
    };
    let method = |api: &str| json!({ "apiId": api, "resourceId": "r1", "method": "GET" });
    let error = invoke(
        &app,
        "remove_api_trigger",
        with(json!({ "method": method("../../etc") })),
    )
    .expect_err("not an API id");
    assert_eq!(error["field"], "apiId", "{error}");
    let error = invoke(
        &app,
        "remove_api_trigger",
        with(json!({ "method": method("a1b2c3d4e5") })),
    )
    .expect_err("no such method calls this function");
    assert_eq!(error["kind"], "NotFound", "{error}");
    // The page names a method and a path, never a URL: Rust builds it from the account's API.
    let call = json!({ "trigger": method("a1b2c3d4e5"), "stage": "prod", "method": "GET",
                       "path": "/x", "headers": [], "body": "", "url": "http://169.254.169.254/" });
    let error = invoke(&app, "call_api", with(json!({ "request": call })))
        .expect_err("no such method calls this function");
    assert_eq!(error["kind"], "NotFound", "{error}");
    let draft = json!({ "existingApiId": null, "newApiName": "LambdaMicroservice",
                        "resourcePath": "/a b", "method": "ANY", "security": "Open", "stage": "prod" });
    let error = invoke(&app, "plan_rest_api", with(json!({ "draft": draft })))
        .expect_err("what API Gateway refuses is refused here");
    assert_eq!(error["field"], "resourcePath", "{error}");
    let error = invoke(
        &app,
        "check_proxy_response",
        with(json!({ "method": "GET", "path": "../../etc" })),
    )
    .expect_err("not a resource path");
    assert_eq!(error["field"], "resourcePath", "{error}");
    let error = invoke(
        &app,
        "remove_mapping",
        with(json!({ "uuid": "someone-elses-mapping" })),
    )
    .expect_err("no such mapping invokes this function");
    assert_eq!(error["kind"], "NotFound", "{error}");
    let draft = json!({ "eventSourceArn": "arn:aws:sqs:eu-west-1:123456789012:q", "batchSize": 10,
                        "batchingWindowSeconds": 0, "startingPosition": null, "addPolicy": true });
    let error = invoke(&app, "plan_mapping", with(json!({ "draft": draft })))
        .expect_err("a source in another region is refused");
    assert_eq!(error["field"], "eventSourceArn", "{error}");
}

#[test]
fn a_log_query_names_a_real_group_and_a_tail_only_one_rust_started() {
    let app = app("logs");
    let query = json!({ "profileId": "sandbox", "region": "us-east-1",
                        "query": { "group": "group with spaces", "pattern": "", "startMs": 0, "endMs": null, "nextToken": null } });
    let error = invoke(&app, "filter_log_events", query).expect_err("not a log group name");
    assert_eq!(error["field"], "group", "{error}");
    let error = invoke(&app, "poll_tail", json!({ "tailId": "made-up" }))
        .expect_err("a tail Rust never started is refused");
    assert_eq!(error["kind"], "NotFound", "{error}");
    let tail = invoke(
        &app,
        "start_tail",
        json!({ "profileId": "sandbox", "region": "us-east-1", "group": "/aws/lambda/nothing-yet", "pattern": "" }),
    )
    .expect("a tail starts");
    assert_eq!(
        tail["mode"], "Polling",
        "the sandbox is followed by polling: {tail}"
    );
    let id = tail["tailId"].as_str().unwrap().to_owned();
    invoke(&app, "stop_tail", json!({ "tailId": id })).expect("stops");
    let error =
        invoke(&app, "poll_tail", json!({ "tailId": id })).expect_err("a stopped tail is gone");
    assert_eq!(error["kind"], "NotFound", "{error}");
}

#[cfg(not(feature = "e2e"))]
#[test]
fn a_shipped_build_has_no_test_hook() {
    let app = app("shipped");
    let drop = invoke(&app, "simulate_drop", json!({ "paths": ["/etc"] }));
    assert!(drop.is_err(), "simulate_drop answered in a shipped build");
    let emit = invoke(
        &app,
        "plugin:event|emit",
        json!({ "event": "tauri://drag-drop", "payload": { "paths": ["/etc"] } }),
    );
    assert!(emit.is_err(), "the page may not emit events");
}

/// The capabilities a build embeds are the files under `capabilities/`, as tauri-build compiled
/// them into `gen/schemas/capabilities.json`; the test-only one is elsewhere and added at run time
/// by an `e2e` build only.
#[test]
fn the_embedded_capabilities_grant_nothing_test_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let test_only: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("test-capabilities/e2e.json")).unwrap(),
    )
    .unwrap();
    let mut forbidden: Vec<String> = test_only["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    forbidden.push("core:event:allow-emit".into());
    forbidden.push("core:event:default".into());
    forbidden.push("core:default".into());
    let embedded =
        std::fs::read_to_string(root.join("gen/schemas/capabilities.json")).expect("built");
    let shipped = std::fs::read_to_string(root.join("capabilities/default.json")).unwrap();
    for permission in &forbidden {
        let quoted = format!("\"{permission}\"");
        assert!(!embedded.contains(&quoted), "embedded: {permission}");
        assert!(
            !shipped.contains(&quoted),
            "capabilities/default.json: {permission}"
        );
    }
    let embedded: Value = serde_json::from_str(&embedded).unwrap();
    let identifiers: Vec<&str> = embedded
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(identifiers, ["default"]);
}
