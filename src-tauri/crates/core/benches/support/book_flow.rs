//! The book's flow, the one a newcomer walks through: a role with a policy, the hello world
//! function, an invoke, an every-minute schedule (rule, target, permission) and a REST API (API,
//! resource, method, integration, permission, deployment). It runs four ways against a sandbox of
//! its own: as Lambdesk's plans, as the same steps' SDK calls with no plan runner around them (with
//! and without the runner's checks), and as the `aws` CLI script those plans print. `account` reads
//! back what a run left, so a test can hold the four to making the same thing; the `cli_flow` bench
//! times them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lambdesk_core::create::{Architecture, CodeSource, FunctionDraft, RoleChoice, Target};
use lambdesk_core::lambda::{InvocationType, InvokeRequest};
use lambdesk_core::ledger::Ledger;
use lambdesk_core::local::LocalLambda;
use lambdesk_core::package::Sources;
use lambdesk_core::plan::{self, Before, CliTarget, Plan, Progress};
use lambdesk_core::profiles::{SANDBOX_PROFILE_ID, SANDBOX_REGION};
use lambdesk_core::triggers::{ApiSecurity, RestApiDraft, ScheduleDraft};
use lambdesk_core::{AwsContext, aws::Access, create, runtimes, triggers};

pub const FUNCTION: &str = "hello-book";
const ROLE: &str = "hello-book-role";
const RULE: &str = "hello-book-every-minute";
const API: &str = "hello-book-api";
const BASIC_EXECUTION_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const EVENT: &str = r#"{"key1": "value1", "key2": "value2", "key3": "value3"}"#;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// The `aws` CLI from PyPI that `make` installs beside the sandbox's virtualenv.
pub fn aws_cli() -> PathBuf {
    let aws = repo_root().join(".venv-cli/bin/aws");
    assert!(
        aws.exists(),
        "{} is missing: `make test` and `make bench` install it",
        aws.display()
    );
    aws
}

/// A moto server of the flow's own, started with the repository's script and reset between runs,
/// so every run starts from an empty account.
pub struct Sandbox {
    state: PathBuf,
    pub url: String,
}

impl Sandbox {
    pub fn start(label: &str) -> Self {
        let state = std::env::temp_dir().join(format!("lambdesk-{label}-{}", std::process::id()));
        let output = sandbox_script(&["start", "--state", &state.display().to_string()]);
        Self {
            state,
            url: String::from_utf8(output).unwrap().trim().to_owned(),
        }
    }

    /// Forgets everything moto holds, as a new sandbox would, then reads one of AWS's managed
    /// policies: moto loads all of them on the first IAM call after a reset (a cost no real account
    /// has), and that load is the sandbox's start, not the flow's. Returns how long it took.
    pub async fn reset(&self) -> Duration {
        let client = reqwest::Client::new();
        for (path, body) in [
            ("reset", ""),
            ("config", r#"{"lambda": {"use_docker": false}}"#),
        ] {
            client
                .post(format!("{}/moto-api/{path}", self.url))
                .body(body)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .expect("moto resets");
        }
        let ctx = self.context().await;
        let iam = ctx.iam();
        let began = Instant::now();
        iam.get_policy()
            .policy_arn(BASIC_EXECUTION_POLICY)
            .send()
            .await
            .expect("the sandbox has AWS's managed policies");
        began.elapsed()
    }

    pub async fn context(&self) -> AwsContext {
        lambdesk_core::build_context(
            SANDBOX_PROFILE_ID,
            &Access::Sandbox {
                endpoint_url: self.url.clone(),
            },
            SANDBOX_REGION,
        )
        .await
        .expect("the flow's sandbox answers")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        sandbox_script(&["stop", "--state", &self.state.display().to_string()]);
        let _ = std::fs::remove_dir_all(&self.state);
    }
}

fn sandbox_script(args: &[&str]) -> Vec<u8> {
    let root = repo_root();
    let output = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/sandbox.py"))
        .args(args)
        .output()
        .expect("the sandbox script runs");
    assert!(
        output.status.success(),
        "sandbox.py {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// How a plan's steps are carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// Lambdesk's plan runner: each step's check first, the ledger, progress events.
    Plans,
    /// Each step's `apply` in turn: the same SDK calls, nothing around them.
    DirectCalls,
    /// Each step's check for an existing resource, then its `apply`: the runner's reads without
    /// its ledger, so the bench can tell the two costs apart.
    CheckedCalls,
    /// The plan's script, run by `sh` with the `aws` CLI.
    Cli,
}

/// Where a run's time went: carrying out the plans (for `Cli`, running their scripts), the
/// invoke, and all of it. Compiling a plan (its reads included) counts for Lambdesk only: a CLI user
/// types the commands instead.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub total: Duration,
    pub executing: Duration,
    pub invoking: Duration,
}

/// Runs the flow one way in the context's (empty) account. `data` holds the staged package and
/// the ledger.
pub async fn run(ctx: &AwsContext, data: &Path, way: Way) -> Timing {
    std::fs::create_dir_all(data).unwrap();
    let ledger = Ledger::new(data.join("ledger"));
    let began = Instant::now();
    let mut executing = Duration::ZERO;
    let today = runtimes::today();
    let sources = Sources::default();
    let create_plan = create::compile(
        &draft(),
        &Target {
            account: &ctx.account_id,
            region: &ctx.region,
            data_dir: data,
            today: &today,
            sources: &sources,
        },
    )
    .expect("the draft compiles");
    executing += execute(ctx, &create_plan, "create", &ledger, data, way).await;
    create_plan.discard();

    let invoking = invoke(ctx, data, way).await;

    let schedule = triggers::compile_schedule(ctx, FUNCTION, &schedule())
        .await
        .expect("the schedule compiles");
    executing += execute(ctx, &schedule, "schedule", &ledger, data, way).await;

    let api = triggers::compile_rest_api(ctx, FUNCTION, &rest_api())
        .await
        .expect("the REST API compiles");
    executing += execute(ctx, &api, "rest-api", &ledger, data, way).await;

    let total = if way == Way::Cli {
        executing + invoking
    } else {
        began.elapsed()
    };
    Timing {
        total,
        executing,
        invoking,
    }
}

/// Carries out one plan; for `Cli`, its script is kept in `data` as `<label>.sh`.
async fn execute(
    ctx: &AwsContext,
    plan: &Plan,
    label: &str,
    ledger: &Ledger,
    data: &Path,
    way: Way,
) -> Duration {
    let began = Instant::now();
    match way {
        Way::Plans => {
            let outcome = plan::run(ctx, plan, ledger, &|_| {}).await;
            assert!(outcome.succeeded, "{:?}", outcome.error);
        }
        Way::DirectCalls | Way::CheckedCalls => {
            for step in &plan.steps {
                if way == Way::CheckedCalls && step.creates().is_some() {
                    let before = step
                        .before(ctx)
                        .await
                        .unwrap_or_else(|error| panic!("{}: {error:?}", step.summary()));
                    assert_eq!(before, Before::Absent, "{}", step.summary());
                }
                step.apply(ctx, &Silent)
                    .await
                    .unwrap_or_else(|error| panic!("{}: {error:?}", step.summary()));
            }
        }
        Way::Cli => {
            let script = data.join(format!("{label}.sh"));
            std::fs::write(&script, plan.script(&CliTarget::of(ctx))).unwrap();
            let began = Instant::now();
            cli(Command::new("sh").arg(&script));
            return began.elapsed();
        }
    }
    began.elapsed()
}

async fn invoke(ctx: &AwsContext, data: &Path, way: Way) -> Duration {
    if way == Way::Cli {
        let began = Instant::now();
        cli(Command::new(aws_cli())
            .args([
                "lambda",
                "invoke",
                "--function-name",
                FUNCTION,
                "--payload",
                EVENT,
            ])
            .args(["--region", &ctx.region, "--endpoint-url"])
            .arg(ctx.endpoint_url.as_deref().unwrap_or_default())
            .arg(data.join("answer.json")));
        return began.elapsed();
    }
    let local = LocalLambda::new(data);
    let began = Instant::now();
    let result = lambdesk_core::lambda::invoke(
        ctx,
        &local,
        &InvokeRequest {
            function_name: FUNCTION.to_owned(),
            payload: EVENT.to_owned(),
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        },
    )
    .await
    .expect("the function runs");
    let elapsed = began.elapsed();
    assert_eq!(result.payload, "\"Hello World\"", "{result:?}");
    local.stop_all().await;
    elapsed
}

/// Runs a command with the sandbox's keys and the CLI on the PATH, and nothing of the machine's
/// own AWS settings.
fn cli(command: &mut Command) {
    let bin = aws_cli().parent().unwrap().to_owned();
    let path = std::env::var("PATH").unwrap_or_default();
    let output = command
        .env("PATH", format!("{}:{path}", bin.display()))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

struct Silent;

impl Progress for Silent {
    fn say(&self, _: String) {}
    fn sent(&self, _: u64, _: u64) {}
}

fn draft() -> FunctionDraft {
    let hello = lambdesk_core::blueprints::blueprint("hello-world-python").unwrap();
    FunctionDraft {
        name: FUNCTION.to_owned(),
        runtime: hello.runtime.clone(),
        handler: hello.handler.clone(),
        architecture: Architecture::X86_64,
        description: String::new(),
        code: CodeSource::Blueprint {
            id: hello.id.clone(),
        },
        staging: None,
        role: RoleChoice::New {
            name: ROLE.to_owned(),
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
    }
}

fn schedule() -> ScheduleDraft {
    ScheduleDraft {
        rule_name: RULE.to_owned(),
        expression: "rate(1 minute)".to_owned(),
        description: "Runs hello-book every minute".to_owned(),
    }
}

fn rest_api() -> RestApiDraft {
    RestApiDraft {
        existing_api_id: None,
        new_api_name: API.to_owned(),
        resource_path: "/hello".to_owned(),
        method: "ANY".to_owned(),
        security: ApiSecurity::Open,
        stage: "prod".to_owned(),
    }
}

/// What a run left in the account, in words that do not depend on the ids the sandbox made up
/// (an API's id reads `{api}`) or on statement ids, so two runs can be compared.
pub async fn account(ctx: &AwsContext) -> Vec<String> {
    let mut found = Vec::new();
    let iam = ctx.iam();
    for role in iam.list_roles().send().await.unwrap().roles() {
        let attached = iam
            .list_attached_role_policies()
            .role_name(role.role_name())
            .send()
            .await
            .unwrap();
        let mut policies: Vec<&str> = attached
            .attached_policies()
            .iter()
            .filter_map(|policy| policy.policy_arn())
            .collect();
        policies.sort_unstable();
        let trust = role.assume_role_policy_document().unwrap_or_default();
        let trust = percent_encoding::percent_decode_str(trust).decode_utf8_lossy();
        found.push(format!(
            "role {} at {} trusting {} with {policies:?}",
            role.role_name(),
            role.path(),
            principals(&trust)
        ));
    }
    let lambda = ctx.lambda();
    for function in lambda.list_functions().send().await.unwrap().functions() {
        let name = function.function_name().unwrap_or_default();
        found.push(format!(
            "function {name} {:?} {} role {} memory {:?} timeout {:?} code {}",
            function.runtime(),
            function.handler().unwrap_or_default(),
            function.role().unwrap_or_default(),
            function.memory_size(),
            function.timeout(),
            function.code_sha256().unwrap_or_default(),
        ));
        if let Ok(policy) = lambda.get_policy().function_name(name).send().await {
            let policy: serde_json::Value =
                serde_json::from_str(policy.policy().unwrap_or_default()).unwrap();
            for statement in policy["Statement"].as_array().into_iter().flatten() {
                found.push(format!(
                    "permission on {name}: {} {} {} if {}",
                    statement["Effect"],
                    statement["Principal"],
                    statement["Action"],
                    statement["Condition"]
                ));
            }
        }
    }
    let events = ctx.eventbridge();
    for rule in events.list_rules().send().await.unwrap().rules() {
        let name = rule.name().unwrap_or_default();
        let targets = events
            .list_targets_by_rule()
            .rule(name)
            .send()
            .await
            .unwrap();
        let targets: Vec<String> = targets
            .targets()
            .iter()
            .map(|target| format!("{} {}", target.id(), target.arn()))
            .collect();
        found.push(format!(
            "rule {name} {} {:?} {:?} targets {targets:?}",
            rule.schedule_expression().unwrap_or_default(),
            rule.state(),
            rule.description()
        ));
    }
    let apigateway = ctx.apigateway();
    for api in apigateway.get_rest_apis().send().await.unwrap().items() {
        let id = api.id().unwrap_or_default();
        found.push(format!(
            "api {} {:?}",
            api.name().unwrap_or_default(),
            api.endpoint_configuration().map(|config| config.types())
        ));
        let resources = apigateway
            .get_resources()
            .rest_api_id(id)
            .embed("methods")
            .send()
            .await
            .unwrap();
        for resource in resources.items() {
            for (verb, method) in resource.resource_methods().into_iter().flatten() {
                let integration = method.method_integration();
                found.push(format!(
                    "api {} {} {verb} auth {:?} key {:?} integration {:?} {:?} {:?}",
                    api.name().unwrap_or_default(),
                    resource.path().unwrap_or_default(),
                    method.authorization_type(),
                    method.api_key_required(),
                    integration.and_then(|i| i.r#type()),
                    integration.and_then(|i| i.http_method()),
                    integration.and_then(|i| i.uri()),
                ));
            }
        }
        let stages = apigateway
            .get_stages()
            .rest_api_id(id)
            .send()
            .await
            .unwrap();
        for stage in stages.item() {
            found.push(format!(
                "api {} stage {}",
                api.name().unwrap_or_default(),
                stage.stage_name().unwrap_or_default()
            ));
        }
        for line in found.iter_mut() {
            *line = line.replace(id, "{api}");
        }
    }
    found.sort();
    found
}

/// The services a trust policy lets assume the role.
fn principals(trust: &str) -> String {
    let trust: serde_json::Value = serde_json::from_str(trust).unwrap_or_default();
    trust["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|statement| statement["Principal"].to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
