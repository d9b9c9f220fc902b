//! The plan step that makes the function: CreateFunction (retried while a new role propagates),
//! then the wait until it is Active.

use std::path::PathBuf;
use std::time::Duration;

use aws_sdk_lambda::client::Waiters;
use aws_sdk_lambda::operation::create_function::CreateFunctionOutput;
use aws_sdk_lambda::types::{
    Architecture as LambdaArchitecture, DeadLetterConfig, Environment, EphemeralStorage,
    FunctionCode as LambdaCode, Runtime, VpcConfig,
};

use super::propagation::{self, PropagationRetry};
use super::{Architecture, KeyValue, delete_function_with_mappings, function_made_by, json_object};
use crate::aws::{AwsContext, body_timeout_with};
use crate::error::{AppError, Endpoint, ErrorKind, gone_is_removed};
use crate::ledger::{LedgerEntry, OWNER_TAG, ResourceKind};
use crate::local::CodeCache;
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

const ACTIVE_WAIT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionCode {
    ZipFile {
        path: PathBuf,
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
    /// The actions the new role's policies grant that Lambda checks at creation; a refusal naming
    /// one of them is propagation, and retried.
    pub role_grants: Vec<String>,
    pub architecture: Architecture,
    pub description: String,
    pub code: FunctionCode,
    pub memory_mb: i32,
    pub timeout_seconds: i32,
    pub ephemeral_mb: i32,
    pub environment: Vec<KeyValue>,
    pub tags: Vec<KeyValue>,
    /// The owner tag's value, which tells this plan's function from another of the same name.
    pub owner_token: String,
    pub dead_letter_arn: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// The package on this machine, kept in the local Lambda's cache once the function exists, so
    /// the Local sandbox (and "Run locally") can run this code without downloading it.
    pub keep_copy: Option<KeepCopy>,
}

impl FunctionSpec {
    /// The user's tags and the owner tag, as the function is made with them.
    fn tags_with_owner(&self) -> Vec<KeyValue> {
        let mut tags = self.tags.clone();
        tags.push(KeyValue {
            key: OWNER_TAG.to_owned(),
            value: self.owner_token.clone(),
        });
        tags
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeepCopy {
    pub package: PathBuf,
    pub cache: CodeCache,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateFunction(pub FunctionSpec);

impl Step for CreateFunction {
    fn summary(&self) -> String {
        let spec = &self.0;
        format!(
            "Create the function {} ({}, {} MB, {} s timeout) and wait until it is Active.",
            spec.name, spec.runtime, spec.memory_mb, spec.timeout_seconds
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        format!(
            "{}\n{}",
            create_function_command(&self.0, target),
            Command::new("lambda", "wait function-active-v2")
                .option("function-name", &self.0.name)
                .target(target)
                .render()
        )
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(LedgerEntry::new(ResourceKind::Function, &self.0.name, "").tagged(&self.0.owner_token))
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let spec = &self.0;
            let client = ctx.lambda();
            let created = send_create(client, spec, &ctx.endpoint(), &|notice| {
                progress.say(notice)
            })
            .await
            .map_err(|error| {
                if error.kind != ErrorKind::Conflict {
                    return error;
                }
                AppError::new(
                    ErrorKind::Conflict,
                    format!(
                        "A function named {} already exists in this account and region.",
                        spec.name
                    ),
                )
                .with_hint("Choose another name for the new function.")
                .with_field("functionName")
            })?;
            let arn = created.function_arn().unwrap_or_default().to_owned();
            progress.say("Created; waiting until the function is Active.".to_owned());
            if let Err(err) = client
                .wait_until_function_active_v2()
                .function_name(&spec.name)
                .wait(ACTIVE_WAIT)
                .await
            {
                let reason = aws_smithy_types::error::display::DisplayErrorContext(&err);
                return Err(AppError::new(
                    ErrorKind::Unknown,
                    format!(
                        "Function {} was created but did not become Active: {reason}",
                        spec.name
                    ),
                )
                .with_hint("Check the runtime, handler, role and VPC settings, then try again."));
            }
            if let Some(copy) = &spec.keep_copy
                && let Err(error) = copy.cache.keep(&copy.package)
            {
                tracing::warn!(%error, function = %spec.name, "could not keep a copy of the deployed package");
            }
            Ok(Applied {
                arn: Some(arn.clone()),
                function_arn: Some(arn),
                revealed: None,
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(
            async move { gone_is_removed(delete_function_with_mappings(ctx, &self.0.name).await) },
        )
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(function_made_by(ctx, &self.0.name, &self.0.owner_token))
    }
}

/// CreateFunction. A new role's propagation is retried by the SDK with the same request (see
/// `propagation`); each retry is told through `say`. The request gets the time a slow uplink
/// needs for the package, plus the minute propagation may take.
pub async fn send_create(
    client: &aws_sdk_lambda::Client,
    spec: &FunctionSpec,
    endpoint: &Endpoint,
    say: &(dyn Fn(String) + Send + Sync),
) -> Result<CreateFunctionOutput, AppError> {
    let doing = format!("create function {}", spec.name);
    let (code, body_bytes) = match &spec.code {
        FunctionCode::ZipFile { path } => {
            let bytes = tokio::fs::read(path).await.map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("Could not read the package {}: {err}", path.display()),
                )
                .with_hint(
                    "The package was written for Review; go back to Review to write it again.",
                )
            })?;
            let length = bytes.len() as u64;
            (LambdaCode::builder().zip_file(bytes.into()).build(), length)
        }
        FunctionCode::S3 {
            bucket,
            key,
            version,
        } => (
            LambdaCode::builder()
                .s3_bucket(bucket)
                .s3_key(key)
                .set_s3_object_version(version.clone())
                .build(),
            0,
        ),
    };
    let ephemeral = EphemeralStorage::builder()
        .size(spec.ephemeral_mb)
        .build()
        .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?;
    let pairs = |values: &[KeyValue]| {
        values
            .iter()
            .map(|p| (p.key.clone(), p.value.clone()))
            .collect()
    };
    let (notices, mut heard) = tokio::sync::mpsc::unbounded_channel();
    let mut settings = aws_sdk_lambda::config::Config::builder();
    if spec.role_is_new {
        settings = settings
            .retry_config(propagation::retry_config())
            .retry_classifier(PropagationRetry::new(spec.role_grants.clone(), notices))
            .timeout_config(body_timeout_with(
                body_bytes,
                propagation::PAUSE * propagation::TRIES,
            ));
    } else {
        settings = settings.timeout_config(body_timeout_with(body_bytes, Duration::ZERO));
    }
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
        .ephemeral_storage(ephemeral)
        .set_environment((!spec.environment.is_empty()).then(|| {
            Environment::builder()
                .set_variables(Some(pairs(&spec.environment)))
                .build()
        }))
        .set_tags(Some(pairs(&spec.tags_with_owner())))
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
        }))
        .customize()
        .config_override(settings)
        .send();
    tokio::pin!(request);
    let answer = loop {
        tokio::select! {
            answer = &mut request => break answer,
            Some(notice) = heard.recv() => say(notice),
        }
    };
    while let Ok(notice) = heard.try_recv() {
        say(notice);
    }
    answer.map_err(|err| AppError::from_sdk(err, &doing, endpoint))
}

fn create_function_command(spec: &FunctionSpec, target: &CliTarget) -> String {
    let (zip_file, s3_code) = match &spec.code {
        FunctionCode::ZipFile { path } => (Some(format!("fileb://{}", path.display())), None),
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
    let environment = (!spec.environment.is_empty())
        .then(|| format!("{{\"Variables\":{}}}", json_object(&spec.environment)));
    let tags = json_object(&spec.tags_with_owner());
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
        .option("tags", &tags)
        .option_if("dead-letter-config", dead_letter.as_deref())
        .option_if("vpc-config", vpc.as_deref())
        .target(target)
        .render()
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

    pub(crate) fn spec() -> FunctionSpec {
        FunctionSpec {
            name: "hello".into(),
            runtime: "python3.13".into(),
            handler: "lambda_function.lambda_handler".into(),
            role_arn: "arn:aws:iam::123456789012:role/hello-role".into(),
            role_is_new: true,
            role_grants: Vec::new(),
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
            owner_token: "0a1b2c3d".into(),
            dead_letter_arn: None,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            keep_copy: None,
        }
    }

    #[test]
    fn create_function_is_create_and_wait() {
        assert_eq!(
            CreateFunction(spec()).cli(&aws()),
            "aws lambda create-function \\\n  --function-name hello \\\n  --runtime python3.13 \\\n  --handler lambda_function.lambda_handler \\\n  --role arn:aws:iam::123456789012:role/hello-role \\\n  --architectures arm64 \\\n  --zip-file fileb:///home/me/.local/share/lambdesk/packages/hello.zip \\\n  --description 'Says hello' \\\n  --memory-size 256 \\\n  --timeout 10 \\\n  --ephemeral-storage Size=512 \\\n  --tags '{\"lambdesk:plan\":\"0a1b2c3d\"}' \\\n  --region us-east-1\naws lambda wait function-active-v2 \\\n  --function-name hello \\\n  --region us-east-1"
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
            "aws lambda create-function \\\n  --function-name hello \\\n  --runtime python3.13 \\\n  --handler lambda_function.lambda_handler \\\n  --role arn:aws:iam::123456789012:role/hello-role \\\n  --architectures arm64 \\\n  --code S3Bucket=my-builds,S3Key=k/hello.zip,S3ObjectVersion=v2 \\\n  --memory-size 256 \\\n  --timeout 10 \\\n  --ephemeral-storage Size=512 \\\n  --environment '{\"Variables\":{\"TABLE\":\"orders\"}}' \\\n  --tags '{\"team\":\"pay ments\",\"lambdesk:plan\":\"0a1b2c3d\"}' \\\n  --dead-letter-config TargetArn=arn:aws:sqs:eu-west-1:123456789012:dlq \\\n  --vpc-config SubnetIds=subnet-0123abcd,subnet-4567abcd,SecurityGroupIds=sg-0123abcd \\\n  --region eu-west-1 \\\n  --endpoint-url http://127.0.0.1:4566"
        );
    }
}
