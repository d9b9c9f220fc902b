//! Plans: what a wizard will do, as ordered steps a user reviews before anything happens. Each step
//! says what it does in plain words and as the `aws` CLI command it stands for; the runner applies
//! them, records what it creates in the ledger, and on a failure undoes the completed steps in
//! reverse so nothing half-made is left in the account.

mod cli;

use std::time::Duration;

use aws_sdk_lambda::types::{
    Architecture as LambdaArchitecture, DeadLetterConfig, Environment, EphemeralStorage,
    FunctionCode as LambdaCode, Runtime, VpcConfig,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use cli::Command;
pub use cli::quote;

use crate::aws::{AwsContext, ContextTag};
use crate::cleanup;
use crate::create::{Architecture, KeyValue};
use crate::error::{AppError, ErrorKind};
use crate::ledger::{Ledger, LedgerEntry, ResourceKind};
use crate::roles::LAMBDA_TRUST_POLICY;
use crate::storage;

/// IAM takes a few seconds to make a new role usable by Lambda; AWS suggests retrying.
const ROLE_PROPAGATION_TRIES: u32 = 30;
const ROLE_PROPAGATION_PAUSE: Duration = Duration::from_secs(3);
const ACTIVE_WAIT: Duration = Duration::from_secs(300);

/// Where the CLI commands are meant to run: the region and, for an emulator, its endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliTarget {
    pub region: String,
    pub endpoint_url: Option<String>,
}

impl CliTarget {
    pub fn of(ctx: &AwsContext) -> Self {
        Self {
            region: ctx.region.clone(),
            endpoint_url: ctx.endpoint_url.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionCode {
    ZipFile {
        path: String,
    },
    S3 {
        bucket: String,
        key: String,
        version: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSpec {
    pub name: String,
    pub runtime: String,
    pub handler: String,
    pub role_arn: String,
    /// The role is made by this plan, so Lambda may not see it yet.
    pub role_is_new: bool,
    pub architecture: Architecture,
    pub description: String,
    pub code: FunctionCode,
    pub memory_mb: i32,
    pub timeout_seconds: i32,
    pub ephemeral_mb: i32,
    pub environment: Vec<KeyValue>,
    pub tags: Vec<KeyValue>,
    pub dead_letter_arn: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    CreateRole {
        role: String,
    },
    AttachRolePolicy {
        role: String,
        policy_arn: String,
    },
    PutRolePolicy {
        role: String,
        policy_name: String,
        document: String,
    },
    CreateBucket {
        bucket: String,
    },
    UploadPackage {
        bucket: String,
        key: String,
        file: String,
    },
    CreateFunction(Box<FunctionSpec>),
}

/// What applying a step made.
#[derive(Default)]
struct Applied {
    created: Option<LedgerEntry>,
    function_arn: Option<String>,
}

impl Step {
    pub fn summary(&self) -> String {
        match self {
            Step::CreateRole { role } => {
                format!("Create the IAM role {role}, which Lambda may assume to run the function.")
            }
            Step::AttachRolePolicy { role, policy_arn } => {
                let name = policy_arn.rsplit('/').next().unwrap_or(policy_arn);
                format!("Attach the AWS managed policy {name} to {role}.")
            }
            Step::PutRolePolicy {
                role, policy_name, ..
            } => {
                format!("Give {role} the inline policy {policy_name}.")
            }
            Step::CreateBucket { bucket } => {
                format!("Create the S3 bucket {bucket} to stage the package in.")
            }
            Step::UploadPackage { bucket, key, .. } => {
                format!("Upload the package to s3://{bucket}/{key}.")
            }
            Step::CreateFunction(spec) => format!(
                "Create the function {} ({}, {} MB, {} s timeout) and wait until it is Active.",
                spec.name, spec.runtime, spec.memory_mb, spec.timeout_seconds
            ),
        }
    }

    pub fn cli(&self, target: &CliTarget) -> String {
        match self {
            Step::CreateRole { role } => Command::new("iam", "create-role")
                .option("role-name", role)
                .option("assume-role-policy-document", LAMBDA_TRUST_POLICY)
                .target(target, false)
                .render(),
            Step::AttachRolePolicy { role, policy_arn } => {
                Command::new("iam", "attach-role-policy")
                    .option("role-name", role)
                    .option("policy-arn", policy_arn)
                    .target(target, false)
                    .render()
            }
            Step::PutRolePolicy {
                role,
                policy_name,
                document,
            } => Command::new("iam", "put-role-policy")
                .option("role-name", role)
                .option("policy-name", policy_name)
                .option("policy-document", document)
                .target(target, false)
                .render(),
            Step::CreateBucket { bucket } => {
                let location = (target.region != "us-east-1")
                    .then(|| format!("LocationConstraint={}", target.region));
                Command::new("s3api", "create-bucket")
                    .option("bucket", bucket)
                    .option_if("create-bucket-configuration", location.as_deref())
                    .target(target, true)
                    .render()
            }
            Step::UploadPackage { bucket, key, file } => Command::new("s3", "cp")
                .positional(file)
                .positional(&format!("s3://{bucket}/{key}"))
                .target(target, true)
                .render(),
            Step::CreateFunction(spec) => format!(
                "{}\n{}",
                create_function_command(spec, target),
                Command::new("lambda", "wait function-active-v2")
                    .option("function-name", &spec.name)
                    .target(target, true)
                    .render()
            ),
        }
    }

    async fn apply(
        &self,
        ctx: &AwsContext,
        report: &(dyn Fn(PlanEvent) + Send + Sync),
        index: u32,
        plan: &Plan,
    ) -> Result<Applied, AppError> {
        let iam = || aws_sdk_iam::Client::new(&ctx.sdk_config);
        let endpoint = ctx.endpoint();
        let entry = |kind, name: &str| LedgerEntry::new(kind, name, &plan.function_name);
        match self {
            Step::CreateRole { role } => {
                let output = iam()
                    .create_role()
                    .role_name(role)
                    .assume_role_policy_document(LAMBDA_TRUST_POLICY)
                    .description(format!(
                        "Execution role for the Lambda function {}, made by Lambdesk",
                        plan.function_name
                    ))
                    .send()
                    .await
                    .map_err(|err| {
                        AppError::from_sdk(err, &format!("create role {role}"), &endpoint)
                    })?;
                let mut created = entry(ResourceKind::Role, role);
                created.arn = output.role().map(|r| r.arn().to_owned());
                Ok(Applied {
                    created: Some(created),
                    function_arn: None,
                })
            }
            Step::AttachRolePolicy { role, policy_arn } => {
                iam()
                    .attach_role_policy()
                    .role_name(role)
                    .policy_arn(policy_arn)
                    .send()
                    .await
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("attach {policy_arn} to {role}"),
                            &endpoint,
                        )
                    })?;
                Ok(Applied::default())
            }
            Step::PutRolePolicy {
                role,
                policy_name,
                document,
            } => {
                iam()
                    .put_role_policy()
                    .role_name(role)
                    .policy_name(policy_name)
                    .policy_document(document)
                    .send()
                    .await
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("put policy {policy_name} on {role}"),
                            &endpoint,
                        )
                    })?;
                Ok(Applied::default())
            }
            Step::CreateBucket { bucket } => {
                storage::create_bucket(ctx, bucket).await?;
                Ok(Applied {
                    created: Some(entry(ResourceKind::Bucket, bucket)),
                    function_arn: None,
                })
            }
            Step::UploadPackage { bucket, key, file } => {
                let progress = |sent: u64, total: u64| {
                    report(PlanEvent {
                        step: index,
                        status: StepStatus::Running,
                        detail: None,
                        sent_bytes: Some(sent),
                        total_bytes: Some(total),
                    });
                };
                storage::upload(ctx, std::path::Path::new(file), bucket, key, &progress).await?;
                let mut created = entry(ResourceKind::Object, key);
                created.bucket = Some(bucket.clone());
                Ok(Applied {
                    created: Some(created),
                    function_arn: None,
                })
            }
            Step::CreateFunction(spec) => {
                let arn = create_function(ctx, spec, &|detail| {
                    report(PlanEvent::detail(index, StepStatus::Running, detail));
                })
                .await?;
                let mut created = entry(ResourceKind::Function, &spec.name);
                created.arn = Some(arn.clone());
                Ok(Applied {
                    created: Some(created),
                    function_arn: Some(arn),
                })
            }
        }
    }

    async fn undo(&self, ctx: &AwsContext, created: Option<&LedgerEntry>) -> Result<(), AppError> {
        let iam = aws_sdk_iam::Client::new(&ctx.sdk_config);
        match (self, created) {
            (Step::AttachRolePolicy { role, policy_arn }, _) => cleanup::gone_is_removed(
                iam.detach_role_policy()
                    .role_name(role)
                    .policy_arn(policy_arn)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("detach {policy_arn} from {role}"),
                            &ctx.endpoint(),
                        )
                    }),
            ),
            (
                Step::PutRolePolicy {
                    role, policy_name, ..
                },
                _,
            ) => cleanup::gone_is_removed(
                iam.delete_role_policy()
                    .role_name(role)
                    .policy_name(policy_name)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("delete policy {policy_name} of {role}"),
                            &ctx.endpoint(),
                        )
                    }),
            ),
            (_, Some(entry)) => cleanup::remove_resource(ctx, entry).await,
            (_, None) => Ok(()),
        }
    }
}

fn create_function_command(spec: &FunctionSpec, target: &CliTarget) -> String {
    let (zip_file, s3_code) = match &spec.code {
        FunctionCode::ZipFile { path } => (Some(format!("fileb://{path}")), None),
        FunctionCode::S3 {
            bucket,
            key,
            version,
        } => {
            let mut code = format!("S3Bucket={bucket},S3Key={key}");
            if let Some(version) = version {
                code.push_str(&format!(",S3ObjectVersion={version}"));
            }
            (None, Some(code))
        }
    };
    let json_map = |pairs: &[KeyValue]| -> String {
        let map: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|pair| {
                (
                    pair.key.clone(),
                    serde_json::Value::String(pair.value.clone()),
                )
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    };
    let environment = (!spec.environment.is_empty())
        .then(|| format!("{{\"Variables\":{}}}", json_map(&spec.environment)));
    let tags = (!spec.tags.is_empty()).then(|| json_map(&spec.tags));
    let dead_letter = spec
        .dead_letter_arn
        .as_ref()
        .map(|arn| format!("TargetArn={arn}"));
    let vpc = (!spec.subnet_ids.is_empty()).then(|| {
        format!(
            "SubnetIds={},SecurityGroupIds={}",
            spec.subnet_ids.join(","),
            spec.security_group_ids.join(",")
        )
    });
    Command::new("lambda", "create-function")
        .option("function-name", &spec.name)
        .option("runtime", &spec.runtime)
        .option("handler", &spec.handler)
        .option("role", &spec.role_arn)
        .option("architectures", spec.architecture.as_str())
        .option_if("zip-file", zip_file.as_deref())
        .option_if("code", s3_code.as_deref())
        .option_if(
            "description",
            (!spec.description.is_empty()).then_some(spec.description.as_str()),
        )
        .option("memory-size", &spec.memory_mb.to_string())
        .option("timeout", &spec.timeout_seconds.to_string())
        .option("ephemeral-storage", &format!("Size={}", spec.ephemeral_mb))
        .option_if("environment", environment.as_deref())
        .option_if("tags", tags.as_deref())
        .option_if("dead-letter-config", dead_letter.as_deref())
        .option_if("vpc-config", vpc.as_deref())
        .target(target, true)
        .render()
}

/// Creates the function, retrying while a new role has not reached Lambda, then waits until it is
/// Active. A function that never becomes Active is deleted again before the error is returned.
async fn create_function(
    ctx: &AwsContext,
    spec: &FunctionSpec,
    say: &(dyn Fn(String) + Send + Sync),
) -> Result<String, AppError> {
    let client = aws_sdk_lambda::Client::new(&ctx.sdk_config);
    let endpoint = ctx.endpoint();
    let doing = format!("create function {}", spec.name);
    let code = match &spec.code {
        FunctionCode::ZipFile { path } => {
            let bytes = tokio::fs::read(path).await.map_err(|err| {
                AppError::new(ErrorKind::Unknown, format!("Could not read the package {path}: {err}"))
                    .with_hint("The package was written before Review; check the data folder is still there and try again.")
            })?;
            LambdaCode::builder().zip_file(bytes.into()).build()
        }
        FunctionCode::S3 {
            bucket,
            key,
            version,
        } => LambdaCode::builder()
            .s3_bucket(bucket)
            .s3_key(key)
            .set_s3_object_version(version.clone())
            .build(),
    };
    let environment = Environment::builder()
        .set_variables(Some(
            spec.environment
                .iter()
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect(),
        ))
        .build();
    let request = client
        .create_function()
        .function_name(&spec.name)
        .runtime(Runtime::from(spec.runtime.as_str()))
        .handler(&spec.handler)
        .role(&spec.role_arn)
        .architectures(LambdaArchitecture::from(spec.architecture.as_str()))
        .code(code)
        .description(&spec.description)
        .memory_size(spec.memory_mb)
        .timeout(spec.timeout_seconds)
        .ephemeral_storage(
            EphemeralStorage::builder()
                .size(spec.ephemeral_mb)
                .build()
                .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?,
        )
        .set_environment((!spec.environment.is_empty()).then_some(environment))
        .set_tags((!spec.tags.is_empty()).then(|| {
            spec.tags
                .iter()
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect()
        }))
        .set_dead_letter_config(
            spec.dead_letter_arn
                .as_ref()
                .map(|arn| DeadLetterConfig::builder().target_arn(arn).build()),
        )
        .set_vpc_config((!spec.subnet_ids.is_empty()).then(|| {
            VpcConfig::builder()
                .set_subnet_ids(Some(spec.subnet_ids.clone()))
                .set_security_group_ids(Some(spec.security_group_ids.clone()))
                .build()
        }));
    let mut tries = 1;
    let created = loop {
        match request.clone().send().await {
            Ok(output) => break output,
            Err(err)
                if spec.role_is_new && tries < ROLE_PROPAGATION_TRIES && role_not_ready(&err) =>
            {
                say(format!(
                    "The new role is not usable by Lambda yet (IAM takes a few seconds); trying again in {} s, try {} of {ROLE_PROPAGATION_TRIES}.",
                    ROLE_PROPAGATION_PAUSE.as_secs(),
                    tries + 1
                ));
                tries += 1;
                tokio::time::sleep(ROLE_PROPAGATION_PAUSE).await;
            }
            Err(err) => return Err(AppError::from_sdk(err, &doing, &endpoint)),
        }
    };
    let arn = created.function_arn().unwrap_or_default().to_owned();
    say("Created; waiting until the function is Active.".to_owned());
    use aws_sdk_lambda::client::Waiters;
    if let Err(err) = client
        .wait_until_function_active_v2()
        .function_name(&spec.name)
        .wait(ACTIVE_WAIT)
        .await
    {
        let reason = aws_smithy_types::error::display::DisplayErrorContext(&err).to_string();
        let removed = cleanup::remove_resource(
            ctx,
            &LedgerEntry::new(ResourceKind::Function, &spec.name, &spec.name),
        )
        .await;
        return Err(AppError::new(
            ErrorKind::Unknown,
            format!("Function {} was created but did not become Active: {reason}", spec.name),
        )
        .with_hint(if removed.is_ok() {
            "It was deleted again. Check the runtime, handler, role and VPC settings, then try again."
        } else {
            "Deleting it again failed too; remove it from Clean up."
        }));
    }
    Ok(arn)
}

fn role_not_ready<E: ProvideErrorMetadata, R>(
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> bool {
    err.code() == Some("InvalidParameterValueException")
        && err
            .message()
            .is_some_and(|message| message.contains("cannot be assumed"))
}

/// A reviewed, ordered list of steps for one function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub function_name: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub summary: String,
    pub cli: String,
}

/// The plan as Review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    pub context: ContextTag,
    pub function_name: String,
    pub steps: Vec<StepView>,
    /// Every command as one shell script.
    pub script: String,
}

impl Plan {
    pub fn view(&self, ctx: &AwsContext) -> PlanView {
        let target = CliTarget::of(ctx);
        PlanView {
            context: ctx.tag(),
            function_name: self.function_name.clone(),
            steps: self
                .steps
                .iter()
                .map(|step| StepView {
                    summary: step.summary(),
                    cli: step.cli(&target),
                })
                .collect(),
            script: self.script(&target, &ctx.account_id),
        }
    }

    pub fn script(&self, target: &CliTarget, account: &str) -> String {
        let mut text = format!(
            "#!/bin/sh\n# Creates the Lambda function {} in account {account}, region {}, as Lambdesk would.\n# Run it with credentials for that account, e.g. AWS_PROFILE=<profile> sh {}.sh\nset -eu\n",
            self.function_name, target.region, self.function_name
        );
        for (index, step) in self.steps.iter().enumerate() {
            text.push_str(&format!(
                "\n# {}. {}\n{}\n",
                index + 1,
                step.summary(),
                step.cli(target)
            ));
        }
        text
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum StepStatus {
    Running,
    Done,
    Failed,
    Undoing,
    Undone,
    UndoFailed,
}

/// Progress of one step, sent as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanEvent {
    pub step: u32,
    pub status: StepStatus,
    pub detail: Option<String>,
    #[ts(type = "number | null")]
    pub sent_bytes: Option<u64>,
    #[ts(type = "number | null")]
    pub total_bytes: Option<u64>,
}

impl PlanEvent {
    fn detail(step: u32, status: StepStatus, detail: impl Into<Option<String>>) -> Self {
        Self {
            step,
            status,
            detail: detail.into(),
            sent_bytes: None,
            total_bytes: None,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanOutcome {
    pub context: ContextTag,
    pub succeeded: bool,
    pub function_arn: Option<String>,
    pub failed_step: Option<u32>,
    pub error: Option<AppError>,
    /// What the undo could not remove; it stays in the ledger for Clean up.
    pub left_behind: Vec<LedgerEntry>,
}

/// Applies the steps in order. On a failure, undoes the completed ones in reverse and reports
/// what, if anything, could not be removed.
pub async fn run(
    ctx: &AwsContext,
    plan: &Plan,
    ledger: &Ledger,
    report: &(dyn Fn(PlanEvent) + Send + Sync),
) -> PlanOutcome {
    let mut completed: Vec<(u32, &Step, Option<LedgerEntry>)> = Vec::new();
    let mut function_arn = None;
    let mut failure = None;
    for (index, step) in (0u32..).zip(&plan.steps) {
        report(PlanEvent::detail(index, StepStatus::Running, None));
        let applied = step.apply(ctx, report, index, plan).await;
        let recorded = match applied {
            Ok(applied) => {
                let recorded = match &applied.created {
                    Some(entry) => ledger.record(&ctx.account_id, &ctx.region, entry.clone()),
                    None => Ok(()),
                };
                function_arn = applied.function_arn.or(function_arn);
                completed.push((index, step, applied.created));
                recorded
            }
            Err(error) => Err(error),
        };
        if let Err(error) = recorded {
            tracing::warn!(step = index, error = %error, "a plan step failed; undoing");
            report(PlanEvent::detail(
                index,
                StepStatus::Failed,
                error.message.clone(),
            ));
            failure = Some((index, error));
            break;
        }
        report(PlanEvent::detail(index, StepStatus::Done, None));
    }
    let Some((failed_step, error)) = failure else {
        tracing::info!(function = %plan.function_name, account = %ctx.account_id, region = %ctx.region, "a plan completed");
        return PlanOutcome {
            context: ctx.tag(),
            succeeded: true,
            function_arn,
            failed_step: None,
            error: None,
            left_behind: Vec::new(),
        };
    };
    let mut left_behind = Vec::new();
    for (index, step, created) in completed.into_iter().rev() {
        report(PlanEvent::detail(index, StepStatus::Undoing, None));
        match step.undo(ctx, created.as_ref()).await {
            Ok(()) => {
                if let Some(entry) = &created
                    && let Err(err) = ledger.forget(&ctx.account_id, &ctx.region, entry)
                {
                    tracing::warn!(error = %err, "an undone resource stays in the ledger");
                }
                report(PlanEvent::detail(index, StepStatus::Undone, None));
            }
            Err(err) => {
                report(PlanEvent::detail(
                    index,
                    StepStatus::UndoFailed,
                    err.message.clone(),
                ));
                left_behind.extend(created);
            }
        }
    }
    PlanOutcome {
        context: ctx.tag(),
        succeeded: false,
        function_arn: None,
        failed_step: Some(failed_step),
        error: Some(error),
        left_behind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox() -> CliTarget {
        CliTarget {
            region: "eu-west-1".into(),
            endpoint_url: Some("http://127.0.0.1:4566".into()),
        }
    }

    fn aws() -> CliTarget {
        CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        }
    }

    fn spec() -> FunctionSpec {
        FunctionSpec {
            name: "hello".into(),
            runtime: "python3.13".into(),
            handler: "lambda_function.lambda_handler".into(),
            role_arn: "arn:aws:iam::123456789012:role/hello-role".into(),
            role_is_new: true,
            architecture: Architecture::Arm64,
            description: "Says hello".into(),
            code: FunctionCode::ZipFile {
                path: "/home/me/.local/share/lambdesk/packages/hello.zip".into(),
            },
            memory_mb: 256,
            timeout_seconds: 10,
            ephemeral_mb: 512,
            environment: Vec::new(),
            tags: Vec::new(),
            dead_letter_arn: None,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
        }
    }

    #[test]
    fn role_steps_are_the_iam_commands() {
        assert_eq!(
            Step::CreateRole {
                role: "hello-role".into()
            }
            .cli(&aws()),
            format!(
                "aws iam create-role \\\n  --role-name hello-role \\\n  --assume-role-policy-document '{LAMBDA_TRUST_POLICY}'"
            )
        );
        assert_eq!(
            Step::AttachRolePolicy {
                role: "hello-role".into(),
                policy_arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                    .into()
            }
            .cli(&sandbox()),
            "aws iam attach-role-policy \\\n  --role-name hello-role \\\n  --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole \\\n  --endpoint-url http://127.0.0.1:4566"
        );
        assert_eq!(
            Step::PutRolePolicy {
                role: "hello-role".into(),
                policy_name: "lambdesk-s3-read".into(),
                document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::it's/*"}]}"#.into()
            }
            .cli(&aws()),
            "aws iam put-role-policy \\\n  --role-name hello-role \\\n  --policy-name lambdesk-s3-read \\\n  --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::it'\\''s/*\"}]}'"
        );
    }

    #[test]
    fn s3_steps_are_the_s3_commands() {
        assert_eq!(
            Step::CreateBucket {
                bucket: "my-builds".into()
            }
            .cli(&sandbox()),
            "aws s3api create-bucket \\\n  --bucket my-builds \\\n  --create-bucket-configuration LocationConstraint=eu-west-1 \\\n  --region eu-west-1 \\\n  --endpoint-url http://127.0.0.1:4566"
        );
        assert_eq!(
            Step::CreateBucket {
                bucket: "my-builds".into()
            }
            .cli(&aws()),
            "aws s3api create-bucket \\\n  --bucket my-builds \\\n  --region us-east-1"
        );
        assert_eq!(
            Step::UploadPackage {
                bucket: "my-builds".into(),
                key: "lambdesk-packages/big.zip".into(),
                file: "/tmp/my code/big.zip".into()
            }
            .cli(&aws()),
            "aws s3 cp '/tmp/my code/big.zip' s3://my-builds/lambdesk-packages/big.zip \\\n  --region us-east-1"
        );
    }

    #[test]
    fn create_function_is_create_and_wait() {
        assert_eq!(
            Step::CreateFunction(Box::new(spec())).cli(&aws()),
            "aws lambda create-function \\\n  --function-name hello \\\n  --runtime python3.13 \\\n  --handler lambda_function.lambda_handler \\\n  --role arn:aws:iam::123456789012:role/hello-role \\\n  --architectures arm64 \\\n  --zip-file fileb:///home/me/.local/share/lambdesk/packages/hello.zip \\\n  --description 'Says hello' \\\n  --memory-size 256 \\\n  --timeout 10 \\\n  --ephemeral-storage Size=512 \\\n  --region us-east-1\naws lambda wait function-active-v2 \\\n  --function-name hello \\\n  --region us-east-1"
        );
        let mut full = spec();
        full.code = FunctionCode::S3 {
            bucket: "my-builds".into(),
            key: "k/hello.zip".into(),
            version: Some("v2".into()),
        };
        full.description = String::new();
        full.environment = vec![KeyValue {
            key: "TABLE".into(),
            value: "orders".into(),
        }];
        full.tags = vec![KeyValue {
            key: "team".into(),
            value: "pay ments".into(),
        }];
        full.dead_letter_arn = Some("arn:aws:sqs:eu-west-1:123456789012:dlq".into());
        full.subnet_ids = vec!["subnet-0123abcd".into(), "subnet-4567abcd".into()];
        full.security_group_ids = vec!["sg-0123abcd".into()];
        assert_eq!(
            create_function_command(&full, &sandbox()),
            "aws lambda create-function \\\n  --function-name hello \\\n  --runtime python3.13 \\\n  --handler lambda_function.lambda_handler \\\n  --role arn:aws:iam::123456789012:role/hello-role \\\n  --architectures arm64 \\\n  --code S3Bucket=my-builds,S3Key=k/hello.zip,S3ObjectVersion=v2 \\\n  --memory-size 256 \\\n  --timeout 10 \\\n  --ephemeral-storage Size=512 \\\n  --environment '{\"Variables\":{\"TABLE\":\"orders\"}}' \\\n  --tags '{\"team\":\"pay ments\"}' \\\n  --dead-letter-config TargetArn=arn:aws:sqs:eu-west-1:123456789012:dlq \\\n  --vpc-config SubnetIds=subnet-0123abcd,subnet-4567abcd,SecurityGroupIds=sg-0123abcd \\\n  --region eu-west-1 \\\n  --endpoint-url http://127.0.0.1:4566"
        );
    }

    #[test]
    fn the_script_numbers_every_step() {
        let plan = Plan {
            function_name: "hello".into(),
            steps: vec![
                Step::CreateRole {
                    role: "hello-role".into(),
                },
                Step::CreateFunction(Box::new(spec())),
            ],
        };
        let script = plan.script(&aws(), "123456789012");
        assert!(script.starts_with("#!/bin/sh\n"));
        assert!(script.contains("set -eu\n"));
        assert!(script.contains("\n# 1. Create the IAM role hello-role"));
        assert!(script.contains("\n# 2. Create the function hello"));
        assert!(script.contains(&plan.steps[1].cli(&aws())));
    }
}
