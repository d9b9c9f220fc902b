//! The create-function wizard's plans against a real moto server: every blueprint and policy
//! template, a plan whose last step fails, Clean up, a package staged in S3, and a new role that
//! Lambda cannot assume yet.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use lambdesk_core::create::{
    Architecture, CodeSource, FunctionDraft, KeyValue, RoleChoice, Staging, Target,
};
use lambdesk_core::iam as roles;
use lambdesk_core::lambda::{CreateFunction, FunctionCode, FunctionSpec};
use lambdesk_core::ledger::{EntryState, Ledger, ResourceKind};
use lambdesk_core::package::Sources;
use lambdesk_core::plan::{self, Plan, PlanEvent, Purpose, StepStatus};
use lambdesk_core::{AwsContext, ErrorKind, blueprints, cleanup, create, runtimes};

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn draft(name: &str, code: CodeSource, role: RoleChoice) -> FunctionDraft {
    FunctionDraft {
        name: name.to_owned(),
        runtime: "python3.13".into(),
        handler: "lambda_function.lambda_handler".into(),
        architecture: Architecture::X86_64,
        description: "made by a test".into(),
        code,
        staging: None,
        role,
        memory_mb: 256,
        timeout_seconds: 15,
        ephemeral_mb: 1024,
        environment: vec![KeyValue {
            key: "STAGE".into(),
            value: "test".into(),
        }],
        tags: vec![KeyValue {
            key: "team".into(),
            value: "lambdesk".into(),
        }],
        dead_letter_arn: None,
        subnet_ids: Vec::new(),
        security_group_ids: Vec::new(),
    }
}

fn new_role(templates: &[&str]) -> RoleChoice {
    RoleChoice::New {
        name: common::unique_name("role"),
        templates: templates.iter().map(|t| (*t).to_owned()).collect(),
        custom_policy: None,
    }
}

/// Runs a plan and keeps the events it reported.
async fn run(
    ctx: &AwsContext,
    plan: &Plan,
    ledger: &Ledger,
) -> (plan::PlanOutcome, Vec<PlanEvent>) {
    let events = Mutex::new(Vec::new());
    let outcome = plan::run(ctx, plan, ledger, &|event| {
        events.lock().unwrap().push(event)
    })
    .await;
    (outcome, events.into_inner().unwrap())
}

fn compile_with(
    ctx: &AwsContext,
    draft: &FunctionDraft,
    data: &Path,
    sources: &Sources,
) -> Result<Plan, lambdesk_core::AppError> {
    create::compile(
        draft,
        &Target {
            account: &ctx.account_id,
            region: &ctx.region,
            data_dir: data,
            today: &runtimes::today(),
            sources,
        },
    )
}

fn compile(ctx: &AwsContext, draft: &FunctionDraft, data: &Path) -> Plan {
    compile_with(ctx, draft, data, &Sources::default()).expect("the draft compiles")
}

async fn role_policies(ctx: &AwsContext, role: &str) -> (Vec<String>, Vec<String>) {
    let iam = ctx.iam();
    let mut attached: Vec<String> = iam
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await
        .unwrap()
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn().map(str::to_owned))
        .collect();
    let mut inline = iam
        .list_role_policies()
        .role_name(role)
        .send()
        .await
        .unwrap()
        .policy_names()
        .to_vec();
    attached.sort();
    inline.sort();
    (attached, inline)
}

async fn role_names(ctx: &AwsContext) -> Vec<String> {
    let mut names: Vec<String> = ctx
        .iam()
        .list_roles()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .map(|role| role.role_name().to_owned())
        .collect();
    names.sort();
    names
}

async fn function_names(ctx: &AwsContext) -> Vec<String> {
    lambdesk_core::lambda::list_functions(ctx)
        .await
        .unwrap()
        .functions
        .into_iter()
        .map(|f| f.name)
        .collect()
}

fn managed(id: &str) -> String {
    roles::template(id).unwrap().managed_policy.clone().unwrap()
}

#[tokio::test]
async fn each_blueprint_creates_its_function() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("blueprints");
    let ledger = Ledger::new(data.join("ledger"));
    let lambda = ctx.lambda();
    for blueprint in blueprints::blueprints() {
        let name = common::unique_name(&blueprint.id);
        let templates: Vec<&str> = blueprint
            .policy_templates
            .iter()
            .map(String::as_str)
            .collect();
        let mut wanted = draft(
            &name,
            CodeSource::Blueprint {
                id: blueprint.id.clone(),
            },
            new_role(&templates),
        );
        wanted.runtime = blueprint.runtime.clone();
        wanted.handler = blueprint.handler.clone();
        let plan = compile(&ctx, &wanted, &data);
        let (outcome, _) = run(&ctx, &plan, &ledger).await;
        assert!(outcome.succeeded, "{}: {:?}", blueprint.id, outcome.error);

        let config = lambda
            .get_function_configuration()
            .function_name(&name)
            .send()
            .await
            .unwrap();
        assert_eq!(
            config.runtime().unwrap().as_str(),
            blueprint.runtime,
            "{}",
            blueprint.id
        );
        assert_eq!(config.handler(), Some(blueprint.handler.as_str()));
        assert_eq!(config.memory_size(), Some(256));
        assert_eq!(config.timeout(), Some(15));
        assert_eq!(config.ephemeral_storage().map(|s| s.size()), Some(1024));
        let RoleChoice::New { name: role, .. } = &wanted.role else {
            unreachable!()
        };
        assert_eq!(
            config.role(),
            Some(format!("arn:aws:iam::{}:role/{role}", ctx.account_id).as_str())
        );
        assert_eq!(
            config
                .environment()
                .and_then(|e| e.variables())
                .and_then(|v| v.get("STAGE"))
                .map(String::as_str),
            Some("test")
        );
        assert_eq!(outcome.function_arn.as_deref(), config.function_arn());

        let (attached, inline) = role_policies(&ctx, role).await;
        for template in &blueprint.policy_templates {
            let template = roles::template(template).unwrap();
            match &template.managed_policy {
                Some(arn) => assert!(attached.contains(arn), "{}: {arn}", blueprint.id),
                None => assert!(
                    inline.contains(&template.inline_policy_name()),
                    "{}",
                    blueprint.id
                ),
            }
        }
    }
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn each_policy_template_gives_its_role_policies() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("templates");
    let ledger = Ledger::new(data.join("ledger"));
    let custom = r#"{
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]
    }"#;
    for template in roles::templates() {
        let role = common::unique_name("role");
        let wanted = draft(
            &common::unique_name("tpl"),
            CodeSource::Blueprint {
                id: "hello-world-python".into(),
            },
            RoleChoice::New {
                name: role.clone(),
                templates: vec![template.id.clone()],
                custom_policy: (template.id == "dynamodb").then(|| custom.to_owned()),
            },
        );
        let (outcome, _) = run(&ctx, &compile(&ctx, &wanted, &data), &ledger).await;
        assert!(outcome.succeeded, "{}: {:?}", template.id, outcome.error);
        let (attached, inline) = role_policies(&ctx, &role).await;
        let mut expected_attached = vec![managed("basic")];
        let mut expected_inline = Vec::new();
        if template.id != "basic" {
            match &template.managed_policy {
                Some(arn) => expected_attached.push(arn.clone()),
                None => expected_inline.push(template.inline_policy_name()),
            }
        }
        if template.id == "dynamodb" {
            expected_inline.push("lambdesk-custom".to_owned());
        }
        expected_attached.sort();
        expected_inline.sort();
        assert_eq!(attached, expected_attached, "{}", template.id);
        assert_eq!(inline, expected_inline, "{}", template.id);
        if let Some(expected) = template.inline_document(&ctx.region, &ctx.account_id) {
            let document = ctx
                .iam()
                .get_role_policy()
                .role_name(&role)
                .policy_name(template.inline_policy_name())
                .send()
                .await
                .unwrap()
                .policy_document()
                .to_owned();
            let decoded = percent_encoding::percent_decode_str(&document)
                .decode_utf8_lossy()
                .into_owned();
            let as_json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
            assert_eq!(as_json(&decoded), as_json(&expected), "{}", template.id);
            assert!(
                !decoded.contains("{account}") && decoded.contains(&ctx.account_id)
                    || !expected.contains(&ctx.account_id)
            );
        }
    }
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn a_plan_whose_last_step_fails_leaves_nothing_behind() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("rollback");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::unique_name("taken");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let roles_before = role_names(&ctx).await;
    let functions_before = function_names(&ctx).await;

    let mut wanted = draft(
        &name,
        CodeSource::Blueprint {
            id: "s3-object-reader".into(),
        },
        new_role(&["s3-read", "sqs-poller"]),
    );
    wanted.staging = Some(Staging {
        bucket: common::unique_name("stage").to_lowercase(),
        create: true,
    });
    let plan = compile(&ctx, &wanted, &data);
    assert!(
        plan.steps
            .last()
            .unwrap()
            .summary()
            .starts_with("Create the function")
    );
    let (outcome, events) = run(&ctx, &plan, &ledger).await;

    assert!(!outcome.succeeded);
    let last = u32::try_from(plan.steps.len() - 1).unwrap();
    assert_eq!(outcome.failed_step, Some(last));
    assert_eq!(
        outcome.error.as_ref().map(|e| e.kind),
        Some(ErrorKind::Conflict),
        "{:?}",
        outcome.error
    );
    assert!(outcome.left_behind.is_empty(), "{:?}", outcome.left_behind);
    for index in 0..last {
        assert!(
            events
                .iter()
                .any(|e| e.step == index && e.status == StepStatus::Undone),
            "step {index} was not undone: {events:?}"
        );
    }
    assert_eq!(role_names(&ctx).await, roles_before);
    assert_eq!(function_names(&ctx).await, functions_before);
    let buckets = lambdesk_core::s3::list_buckets(&ctx).await.unwrap().buckets;
    assert!(!buckets.contains(&wanted.staging.unwrap().bucket));
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .is_empty()
    );
    std::fs::remove_dir_all(&data).unwrap();
}

/// A zip of `bytes` that do not compress, holding the handler's file too.
fn big_package(path: &Path, bytes: usize) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("lambda_function.py", stored).unwrap();
    writer
        .write_all(b"def lambda_handler(event, context):\n    return 'big'\n")
        .unwrap();
    writer.start_file("model.bin", stored).unwrap();
    writer.write_all(&noise).unwrap();
    writer.finish().unwrap();
}

#[tokio::test]
async fn a_60_mb_package_goes_through_s3_and_clean_up_removes_it_all() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("staging");
    let ledger = Ledger::new(data.join("ledger"));
    let zip = data.join("big.zip");
    big_package(&zip, 60 * 1024 * 1024);
    let sources = Sources::default();
    let source = sources.add(zip.clone());
    let name = common::unique_name("big");
    let mut wanted = draft(&name, CodeSource::Upload { source }, new_role(&[]));

    let error = compile_with(&ctx, &wanted, &data, &sources).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("package"));
    assert!(error.message.contains("50 MB"), "{}", error.message);

    let bucket = common::unique_name("stage").to_lowercase();
    wanted.staging = Some(Staging {
        bucket: bucket.clone(),
        create: true,
    });
    let plan = compile_with(&ctx, &wanted, &data, &sources).unwrap();
    let (outcome, events) = run(&ctx, &plan, &ledger).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);

    let progress: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| Some((e.sent_bytes?, e.total_bytes?)))
        .collect();
    let total = std::fs::metadata(&zip).unwrap().len();
    assert!(progress.len() >= 8, "{progress:?}");
    assert!(progress.windows(2).all(|pair| pair[0].0 <= pair[1].0));
    assert_eq!(progress.last(), Some(&(total, total)));

    let s3 = ctx.s3();
    let object = s3
        .head_object()
        .bucket(&bucket)
        .key(format!("lambdesk-packages/{name}.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(object.content_length(), Some(i64::try_from(total).unwrap()));
    let function = ctx
        .lambda()
        .get_function()
        .function_name(&name)
        .send()
        .await
        .unwrap();
    assert_eq!(
        function.configuration().map(|c| c.code_size()),
        Some(i64::try_from(total).unwrap())
    );

    let entries = ledger.entries(&ctx.account_id, &ctx.region).unwrap();
    let kinds: Vec<ResourceKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            ResourceKind::Role,
            ResourceKind::Bucket,
            ResourceKind::Object,
            ResourceKind::Function
        ]
    );
    let roles_before_cleanup = role_names(&ctx).await;
    for entry in entries.iter().rev() {
        cleanup::clean_up(&ctx, &ledger, &entry.id).await.unwrap();
    }
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .is_empty()
    );
    assert!(!function_names(&ctx).await.contains(&name));
    assert!(
        !lambdesk_core::s3::list_buckets(&ctx)
            .await
            .unwrap()
            .buckets
            .contains(&bucket)
    );
    let role = &entries[0].name;
    assert!(roles_before_cleanup.contains(role) && !role_names(&ctx).await.contains(role));
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn clean_up_takes_a_role_with_its_policies_even_out_of_order() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("cleanup");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::unique_name("clean");
    let wanted = draft(
        &name,
        CodeSource::Scratch,
        new_role(&["s3-read", "kinesis"]),
    );
    let (outcome, _) = run(&ctx, &compile(&ctx, &wanted, &data), &ledger).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    let entries = ledger.entries(&ctx.account_id, &ctx.region).unwrap();
    // What the plan made is confirmed, with its ARN, by the time the plan has ended.
    assert_eq!(entries.len(), 2, "{entries:?}");
    for entry in &entries {
        assert_eq!(entry.state, EntryState::Created, "{entry:?}");
        assert!(entry.arn.is_some(), "{entry:?}");
    }
    let role = entries
        .iter()
        .find(|e| e.kind == ResourceKind::Role)
        .unwrap();
    cleanup::clean_up(&ctx, &ledger, &role.id).await.unwrap();
    assert!(!role_names(&ctx).await.contains(&role.name));
    let function = entries
        .iter()
        .find(|e| e.kind == ResourceKind::Function)
        .unwrap();
    cleanup::clean_up(&ctx, &ledger, &function.id)
        .await
        .unwrap();
    let again = cleanup::clean_up(&ctx, &ledger, &function.id)
        .await
        .expect_err("once removed, it is no longer in the ledger");
    assert_eq!(again.kind, ErrorKind::NotFound);
    assert!(!function_names(&ctx).await.contains(&name));
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .is_empty()
    );
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn creating_retries_while_lambda_cannot_assume_the_new_role() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("propagation");
    let ledger = Ledger::new(data.join("ledger"));
    let package = data.join("code.zip");
    std::fs::write(&package, common::python_package()).unwrap();
    let role = common::unique_name("late-role");
    let name = common::unique_name("late");
    let plan = Plan {
        purpose: Purpose::Create,
        function_name: name.clone(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        staged: Vec::new(),
        steps: vec![Box::new(CreateFunction(FunctionSpec {
            name: name.clone(),
            runtime: "python3.13".into(),
            handler: "lambda_function.lambda_handler".into(),
            role_arn: format!("arn:aws:iam::{}:role/{role}", ctx.account_id),
            role_is_new: true,
            role_grants: Vec::new(),
            architecture: Architecture::X86_64,
            description: String::new(),
            code: FunctionCode::ZipFile { path: package },
            memory_mb: 128,
            timeout_seconds: 3,
            ephemeral_mb: 512,
            environment: Vec::new(),
            tags: Vec::new(),
            owner_token: "0a1b2c3d".into(),
            dead_letter_arn: None,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            keep_copy: None,
        }))],
    };
    let late_role = {
        let iam = ctx.iam().clone();
        let role = role.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(4)).await;
            iam.create_role()
                .role_name(role)
                .assume_role_policy_document(roles::LAMBDA_TRUST_POLICY)
                .send()
                .await
                .unwrap();
        })
    };
    let (outcome, events) = run(&ctx, &plan, &ledger).await;
    late_role.await.unwrap();
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert!(
        events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("not usable by Lambda yet"))),
        "{events:?}"
    );
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn clean_up_refuses_what_the_ledger_does_not_list_and_deletes_nothing() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("refuse");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::unique_name("not-ours");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let role = common::lambda_role(&ctx).await;
    let role_name = role.rsplit('/').next().unwrap().to_owned();

    for id in [
        format!("function:{name}"),
        format!("role:{role_name}"),
        "bucket:anything".to_owned(),
    ] {
        let error = cleanup::clean_up(&ctx, &ledger, &id)
            .await
            .expect_err("an id the ledger does not list is refused");
        assert_eq!(error.kind, ErrorKind::NotFound, "{id}");
        assert!(error.message.contains("lists no"), "{}", error.message);
    }
    // Listed for another account or region is not listed here either.
    let mut entry = lambdesk_core::ledger::LedgerEntry::new(ResourceKind::Function, &name, &name);
    entry.created_for = name.clone();
    ledger
        .record("999999999999", &ctx.region, entry.clone())
        .unwrap();
    ledger
        .record(&ctx.account_id, "eu-north-1", entry.clone())
        .unwrap();
    assert!(cleanup::clean_up(&ctx, &ledger, &entry.id).await.is_err());

    assert!(function_names(&ctx).await.contains(&name));
    assert!(role_names(&ctx).await.contains(&role_name));
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn a_rollback_leaves_a_bucket_the_user_already_had_with_its_objects() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("own-bucket");
    let ledger = Ledger::new(data.join("ledger"));
    let bucket = common::unique_name("mine").to_lowercase();
    lambdesk_core::s3::create_bucket(&ctx, &bucket)
        .await
        .unwrap();
    let s3 = ctx.s3();
    s3.put_object()
        .bucket(&bucket)
        .key("keep/me.txt")
        .body(b"mine"[..].to_vec().into())
        .send()
        .await
        .unwrap();
    let taken = common::unique_name("taken");
    common::create_functions(&ctx, std::slice::from_ref(&taken)).await;
    let zip = data.join("code.zip");
    std::fs::write(&zip, common::python_package()).unwrap();
    let sources = Sources::default();
    let mut wanted = draft(
        &taken,
        CodeSource::Upload {
            source: sources.add(zip),
        },
        new_role(&[]),
    );
    // "Create a new bucket" with the name of one the user owns: CreateBucket would succeed in
    // us-east-1, and the bucket must still never be taken for Lambdesk's.
    wanted.staging = Some(Staging {
        bucket: bucket.clone(),
        create: true,
    });
    let plan = compile_with(&ctx, &wanted, &data, &sources).unwrap();
    let (outcome, events) = run(&ctx, &plan, &ledger).await;

    assert!(!outcome.succeeded);
    assert_eq!(
        outcome.error.as_ref().map(|e| e.kind),
        Some(ErrorKind::Conflict)
    );
    assert!(
        events.iter().any(|e| e.step == 2
            && e.status == StepStatus::Done
            && e.detail
                .as_deref()
                .is_some_and(|d| d.contains("used as it is"))),
        "{events:?}"
    );
    assert!(
        lambdesk_core::s3::list_buckets(&ctx)
            .await
            .unwrap()
            .buckets
            .contains(&bucket),
        "the user's bucket is still there"
    );
    let kept = s3
        .head_object()
        .bucket(&bucket)
        .key("keep/me.txt")
        .send()
        .await;
    assert!(kept.is_ok(), "the user's object is still there");
    let staged = s3
        .head_object()
        .bucket(&bucket)
        .key(format!("lambdesk-packages/{taken}.zip"))
        .send()
        .await;
    assert!(staged.is_err(), "the package Lambdesk uploaded was removed");
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .is_empty()
    );
    plan.discard();
    std::fs::remove_dir_all(&data).unwrap();
}
