//! Shared set-up for the integration tests: the sandbox they run against, unique names, and a role
//! and code package for test functions.

#![allow(dead_code)]

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

use lambdesk_core::AwsContext;
use lambdesk_core::aws::Access;
use lambdesk_core::create::{Architecture, CodeSource, FunctionDraft, RoleChoice, Target};
use lambdesk_core::ledger::Ledger;
use lambdesk_core::package::Sources;
use lambdesk_core::profiles::{AccessKeys, SANDBOX_PROFILE_ID, SANDBOX_REGION};
use lambdesk_core::secrets::Secret;
use lambdesk_core::{create, plan, runtimes};

/// The URL of the moto server `make test` starts for this run.
pub fn sandbox_url() -> String {
    std::env::var("LAMBDESK_TEST_SANDBOX_URL").expect(
        "LAMBDESK_TEST_SANDBOX_URL is not set: run these tests with `make test-core`, \
         which starts a sandbox for them",
    )
}

pub fn sandbox_access(url: &str) -> Access {
    Access::Sandbox {
        endpoint_url: url.to_owned(),
    }
}

pub async fn sandbox_context() -> AwsContext {
    lambdesk_core::build_context(
        SANDBOX_PROFILE_ID,
        &sandbox_access(&sandbox_url()),
        SANDBOX_REGION,
    )
    .await
    .expect("the test sandbox answers")
}

/// Keys of another sandbox account: moto files everything done with the credentials of a role
/// assumed into an account under that account.
pub async fn keys_of_account(account_id: &str) -> AccessKeys {
    let ctx = sandbox_context().await;
    let credentials = aws_sdk_sts::Client::new(ctx.sdk_config())
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account_id}:role/lambdesk-test"))
        .role_session_name("lambdesk-test")
        .send()
        .await
        .expect("assume a role in the other account")
        .credentials
        .expect("credentials in the answer");
    AccessKeys {
        access_key_id: credentials.access_key_id,
        secret_access_key: Secret::new(credentials.secret_access_key),
        session_token: Some(Secret::new(credentials.session_token)),
    }
}

/// Creates Python functions with these names in the context's account and region.
pub async fn create_functions(ctx: &AwsContext, names: &[String]) {
    let role = lambda_role(ctx).await;
    let lambda = ctx.lambda();
    for name in names {
        lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(&role)
            .handler("lambda_function.lambda_handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(python_package()))
                    .build(),
            )
            .send()
            .await
            .expect("create function");
    }
}

/// A name no other test (or earlier run against the same sandbox) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A role Lambda may assume, which moto requires before it creates a function.
pub async fn lambda_role(ctx: &AwsContext) -> String {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    ctx.iam()
        .create_role()
        .role_name(unique_name("role"))
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role")
        .role()
        .expect("role in answer")
        .arn()
        .to_owned()
}

/// A zip holding one Python handler file.
pub fn python_package() -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    archive
        .start_file::<_, ()>("lambda_function.py", zip::write::FileOptions::default())
        .unwrap();
    archive
        .write_all(b"def lambda_handler(event, context):\n    return 'Hello World'\n")
        .unwrap();
    archive.finish().unwrap().into_inner()
}

/// Creates the hello world blueprint through the wizard's plan, as the app does.
pub async fn create_hello_world(ctx: &AwsContext, data: &std::path::Path) -> String {
    create_blueprint(ctx, data, "hello-world-python", "hello").await
}

/// Creates a function from a blueprint through the wizard's plan, as the app does.
pub async fn create_blueprint(
    ctx: &AwsContext,
    data: &std::path::Path,
    blueprint: &str,
    prefix: &str,
) -> String {
    let name = unique_name(prefix);
    let hello = lambdesk_core::blueprints::blueprint(blueprint).unwrap();
    let draft = FunctionDraft {
        name: name.clone(),
        runtime: hello.runtime.clone(),
        handler: hello.handler.clone(),
        architecture: Architecture::X86_64,
        description: String::new(),
        code: CodeSource::Blueprint {
            id: hello.id.clone(),
        },
        staging: None,
        role: RoleChoice::New {
            name: unique_name("role"),
            templates: vec!["basic".to_owned()],
            custom_policy: None,
        },
        memory_mb: 128,
        timeout_seconds: 3,
        ephemeral_mb: 512,
        environment: Vec::new(),
        tags: Vec::new(),
        dead_letter_arn: None,
        subnet_ids: Vec::new(),
        security_group_ids: Vec::new(),
    };
    let plan = create::compile(
        &draft,
        &Target {
            account: &ctx.account_id,
            region: &ctx.region,
            data_dir: data,
            today: &runtimes::today(),
            sources: &Sources::default(),
        },
    )
    .unwrap();
    let outcome = plan::run(ctx, &plan, &Ledger::new(data.join("ledger")), &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    name
}
