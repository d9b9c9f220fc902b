//! The function page's changes against a real moto server: every setting the Configuration tab
//! edits goes there and comes back, changes in a row never conflict, a failed plan's undo puts
//! the old settings back, and a deploy of edited files or of new code (staged in S3) changes the
//! code. Its logs are read back.

mod common;

use std::path::{Path, PathBuf};

use lambdesk_core::aws::AwsContext;
use lambdesk_core::configure::{
    CodeReplacement, compile_code_edits, compile_code_replacement, compile_configuration,
};
use lambdesk_core::create::Staging;
use lambdesk_core::lambda::{
    Architecture, FileEdit, FunctionSettings, InvocationType, InvokeRequest, KeyValue,
    RetagFunction, UpdateConfiguration, function_details, invoke, package_contents,
};
use lambdesk_core::ledger::Ledger;
use lambdesk_core::local::{CodeCache, LocalLambda};
use lambdesk_core::package::Sources;
use lambdesk_core::plan::{
    self, Applied, CliTarget, Plan, PlanOutcome, Progress, Purpose, Step, StepFuture,
};
use lambdesk_core::{AppError, ErrorKind, logs, runtimes};

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pair(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

async fn run(ctx: &AwsContext, plan: &Plan, data: &Path) -> PlanOutcome {
    plan::run(ctx, plan, &Ledger::new(data.join("ledger")), &|_| {}).await
}

async fn settings_of(ctx: &AwsContext, name: &str) -> FunctionSettings {
    function_details(ctx, name).await.unwrap().settings
}

/// Compiles and runs a configuration change, as the Configuration tab does.
async fn configure(
    ctx: &AwsContext,
    data: &Path,
    name: &str,
    desired: &FunctionSettings,
) -> PlanOutcome {
    let cache = CodeCache::in_data_dir(data);
    let (plan, _) = compile_configuration(ctx, &cache, name, desired, &runtimes::today())
        .await
        .unwrap();
    run(ctx, &plan, data).await
}

#[tokio::test]
async fn every_setting_goes_to_the_account_and_comes_back() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("configure");
    let name = common::create_hello_world(&ctx, &data).await;
    let before = settings_of(&ctx, &name).await;
    let desired = FunctionSettings {
        description: "Says hello, configured".into(),
        runtime: "python3.12".into(),
        handler: "lambda_function.other_handler".into(),
        architecture: Architecture::Arm64,
        memory_mb: 256,
        timeout_seconds: 10,
        ephemeral_mb: 1024,
        environment: vec![pair("GREETING", "hi there"), pair("STAGE", "dev")],
        tags: vec![pair("stage", "dev"), pair("team", "web")],
        role_arn: common::lambda_role(&ctx).await,
        dead_letter_arn: Some(format!("arn:aws:sqs:{}:{}:dlq", ctx.region, ctx.account_id)),
        subnet_ids: vec!["subnet-0123abcd".into()],
        security_group_ids: vec!["sg-0123abcd".into()],
    };
    let cache = CodeCache::in_data_dir(&data);
    let (plan, changes) = compile_configuration(&ctx, &cache, &name, &desired, &runtimes::today())
        .await
        .unwrap();
    let fields: Vec<&str> = changes.iter().map(|change| change.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "description",
            "runtime",
            "handler",
            "architecture",
            "memoryMb",
            "timeoutSeconds",
            "ephemeralMb",
            "environment",
            "tags",
            "roleArn",
            "deadLetterArn",
            "vpc"
        ]
    );
    let memory = changes.iter().find(|c| c.field == "memoryMb").unwrap();
    assert_eq!(
        (memory.old.as_str(), memory.new.as_str()),
        ("128 MB", "256 MB")
    );
    assert_eq!(plan.steps.len(), 3, "configuration, tags, architecture");
    let outcome = run(&ctx, &plan, &data).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert_eq!(settings_of(&ctx, &name).await, desired);

    // And back: removing the variables, tags, dead-letter target and VPC removes them.
    let outcome = configure(&ctx, &data, &name, &before).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert_eq!(settings_of(&ctx, &name).await, before);
}

#[tokio::test]
async fn two_changes_in_a_row_both_apply() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("twice");
    let name = common::create_hello_world(&ctx, &data).await;
    let mut desired = settings_of(&ctx, &name).await;
    desired.memory_mb = 256;
    let first = configure(&ctx, &data, &name, &desired).await;
    assert!(first.succeeded, "{:?}", first.error);
    desired.timeout_seconds = 30;
    let second = configure(&ctx, &data, &name, &desired).await;
    assert!(second.succeeded, "{:?}", second.error);
    let now = settings_of(&ctx, &name).await;
    assert_eq!((now.memory_mb, now.timeout_seconds), (256, 30));
}

#[tokio::test]
async fn bad_settings_and_no_change_are_refused_before_anything_is_sent() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("refused");
    let name = common::create_hello_world(&ctx, &data).await;
    let current = settings_of(&ctx, &name).await;
    let cache = CodeCache::in_data_dir(&data);
    let mut desired = current.clone();
    desired.memory_mb = 20_000;
    let error = compile_configuration(&ctx, &cache, &name, &desired, &runtimes::today())
        .await
        .unwrap_err();
    assert_eq!(error.field.as_deref(), Some("memoryMb"));
    desired = current.clone();
    desired.handler = "missing_module.lambda_handler".into();
    let error = compile_configuration(&ctx, &cache, &name, &desired, &runtimes::today())
        .await
        .unwrap_err();
    assert_eq!(error.field.as_deref(), Some("handler"));
    assert!(
        error.message.contains("missing_module.py"),
        "{}",
        error.message
    );
    let error = compile_configuration(&ctx, &cache, &name, &current, &runtimes::today())
        .await
        .unwrap_err();
    assert!(
        error.message.contains("Nothing is changed"),
        "{}",
        error.message
    );
    assert_eq!(settings_of(&ctx, &name).await, current);
}

/// A step that always fails, so the runner undoes what came before it.
#[derive(Debug)]
struct Fails;

impl Step for Fails {
    fn summary(&self) -> String {
        "Fail".into()
    }
    fn cli(&self, _: &CliTarget) -> String {
        "false".into()
    }
    fn apply<'a>(&'a self, _: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async { Err(AppError::new(ErrorKind::Unknown, "failed on purpose")) })
    }
    fn undo<'a>(&'a self, _: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_failed_change_is_undone_to_the_old_configuration() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("undo");
    let name = common::create_hello_world(&ctx, &data).await;
    let details = function_details(&ctx, &name).await.unwrap();
    let before = details.settings.clone();
    let mut desired = before.clone();
    desired.memory_mb = 512;
    desired.description = "changed, then undone".into();
    desired.environment = vec![pair("STAGE", "dev")];
    desired.tags = vec![pair("team", "web")];
    let plan = Plan {
        purpose: Purpose::Configure,
        function_name: name.clone(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        staged: Vec::new(),
        steps: vec![
            Box::new(UpdateConfiguration {
                name: name.clone(),
                from: before.clone(),
                to: desired.clone(),
            }),
            Box::new(RetagFunction {
                arn: details.arn.clone(),
                from: before.tags.clone(),
                to: desired.tags.clone(),
            }),
            Box::new(Fails),
        ],
    };
    let outcome = run(&ctx, &plan, &data).await;
    assert!(!outcome.succeeded);
    assert_eq!(outcome.failed_step, Some(2));
    assert!(outcome.left_behind.is_empty());
    assert_eq!(settings_of(&ctx, &name).await, before);
}

#[tokio::test]
async fn deploying_edited_files_changes_the_code_and_the_sandbox_runs_it() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("deploy");
    let name = common::create_hello_world(&ctx, &data).await;
    let cache = CodeCache::in_data_dir(&data);
    let contents = package_contents(&ctx, &cache, &name).await.unwrap();
    assert_eq!(contents.handler_file.as_deref(), Some("lambda_function.py"));
    assert!(contents.not_editable.is_none());
    let handler = contents
        .files
        .iter()
        .find(|file| file.path == "lambda_function.py")
        .and_then(|file| file.text.clone())
        .expect("the handler's text");
    assert!(handler.contains("def lambda_handler"));
    let edited =
        "def lambda_handler(event, context):\n    raise Exception('Exception raised manually.')\n";
    let edits = [FileEdit {
        path: "lambda_function.py".into(),
        text: edited.into(),
    }];
    let plan = compile_code_edits(&ctx, &cache, &data, &name, &contents.code_sha256, &edits)
        .await
        .unwrap();
    let staged = plan.staged.clone();
    let outcome = run(&ctx, &plan, &data).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    plan.discard();
    assert!(
        staged.iter().all(|file| !file.exists()),
        "the staged package is deleted"
    );
    let after = function_details(&ctx, &name).await.unwrap();
    assert_ne!(after.code_sha256, contents.code_sha256);
    assert!(
        cache.holds(&after.code_sha256),
        "Lambdesk keeps the code it deployed"
    );

    // Edits made to the old code are refused now that the code changed.
    let error = compile_code_edits(&ctx, &cache, &data, &name, &contents.code_sha256, &edits)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Conflict);

    let result = invoke(
        &ctx,
        &LocalLambda::new(&data),
        &InvokeRequest {
            function_name: name.clone(),
            payload: "{}".into(),
            invocation_type: InvocationType::RequestResponse,
            tail_log: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(result.function_error.as_deref(), Some("Unhandled"));
    assert!(
        result.payload.contains("Exception raised manually."),
        "{}",
        result.payload
    );

    // The run's lines are in the newest stream.
    let streams = logs::function_streams(&ctx, &name).await.unwrap();
    assert!(streams.group_exists);
    assert_eq!(streams.group, format!("/aws/lambda/{name}"));
    let stream = streams
        .streams
        .first()
        .expect("the stream the run wrote to");
    let events = logs::stream_events(&ctx, &name, &stream.name)
        .await
        .unwrap();
    let request_id = result.request_id.clone().unwrap();
    assert!(
        events.events.iter().any(|event| event
            .message
            .starts_with(&format!("START RequestId: {request_id}"))),
        "{:?}",
        events.events
    );
}

#[tokio::test]
async fn a_function_that_never_ran_has_no_log_group_yet() {
    let ctx = common::sandbox_context().await;
    let name = common::unique_name("quiet");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let streams = logs::function_streams(&ctx, &name).await.unwrap();
    assert!(!streams.group_exists);
    assert!(streams.streams.is_empty());
    let error = logs::stream_events(&ctx, &name, "a:b").await.unwrap_err();
    assert_eq!(error.field.as_deref(), Some("logStream"));
}

#[tokio::test]
async fn new_code_from_a_folder_is_checked_then_staged_in_s3_and_deployed() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("replace");
    let name = common::create_hello_world(&ctx, &data).await;
    let cache = CodeCache::in_data_dir(&data);
    let before = function_details(&ctx, &name).await.unwrap();
    let folder = data.join("new-code");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("app.py"), "def handler(e, c):\n    return 1\n").unwrap();
    let sources = Sources::default();
    let source = sources.add(folder.clone());
    let bucket = common::unique_name("staging").to_lowercase();
    let replacement = CodeReplacement::Upload {
        source: source.clone(),
        staging: Some(Staging {
            bucket: bucket.clone(),
            create: true,
        }),
    };
    let error = compile_code_replacement(&ctx, &cache, &sources, &data, &name, &replacement)
        .await
        .unwrap_err();
    assert!(
        error.message.contains("lambda_function.py"),
        "{}",
        error.message
    );

    std::fs::write(
        folder.join("lambda_function.py"),
        "def lambda_handler(event, context):\n    return 'Replaced'\n",
    )
    .unwrap();
    let plan = compile_code_replacement(&ctx, &cache, &sources, &data, &name, &replacement)
        .await
        .unwrap();
    let summaries: Vec<String> = plan.steps.iter().map(|step| step.summary()).collect();
    assert_eq!(summaries.len(), 3, "{summaries:?}");
    assert!(
        summaries[1].starts_with("Upload the package to s3://"),
        "{summaries:?}"
    );
    let outcome = run(&ctx, &plan, &data).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    plan.discard();
    let after = function_details(&ctx, &name).await.unwrap();
    assert_ne!(after.code_sha256, before.code_sha256);
    let result = invoke(
        &ctx,
        &LocalLambda::new(&data),
        &InvokeRequest {
            function_name: name.clone(),
            payload: "{}".into(),
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(result.payload, "\"Replaced\"");
}
