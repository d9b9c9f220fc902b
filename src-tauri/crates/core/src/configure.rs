//! The function page's changes, compiled to plans the user reviews: the Configuration tab's
//! settings (each change shown as its old and new value beside the command that makes it), and
//! the Code tab's edited files. Every rule of the create wizard applies, before anything is sent;
//! the current values are read from the account here, never taken from the page.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::AwsContext;
use crate::create::{Staging, package_code};
use crate::error::{AppError, ErrorKind};
use crate::lambda::{
    Architecture, FileEdit, FunctionCode, FunctionSettings, KeyValue, RetagFunction,
    UpdateConfiguration, UpdateFunctionCode, fetch_code, function_details, rebuild_with_edits,
};
use crate::local::CodeCache;
use crate::package::{self, Sources};
use crate::plan::{Plan, Purpose, ReviewedPlan, Step};
use crate::runtimes;
use crate::validate;

/// One setting as Review shows it: what it is, what it becomes, and the step that changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingChange {
    /// The form field, as errors name it.
    pub field: String,
    pub label: String,
    pub old: String,
    pub new: String,
    /// The plan step (from 0) whose command makes the change.
    pub step: u32,
}

/// A reviewed change to a function: the plan, and for a configuration change each setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangeReview {
    pub reviewed: ReviewedPlan,
    pub changes: Vec<SettingChange>,
}

fn pairs(values: &[KeyValue]) -> impl Iterator<Item = (&str, &str)> {
    values
        .iter()
        .map(|pair| (pair.key.as_str(), pair.value.as_str()))
}

/// Every rule the desired settings break, one error per field. A runtime is checked only when it
/// changes: a function may stay on a runtime that is no longer offered for new ones.
pub fn problems(
    current: &FunctionSettings,
    desired: &FunctionSettings,
    today: &str,
) -> Vec<AppError> {
    let mut checks = vec![
        validate::handler(
            &desired.handler,
            runtimes::runtime(&desired.runtime).map(|r| r.language),
        ),
        validate::description(&desired.description),
        validate::memory_mb(desired.memory_mb),
        validate::timeout_seconds(desired.timeout_seconds),
        validate::ephemeral_mb(desired.ephemeral_mb),
        validate::environment(pairs(&desired.environment)),
        validate::tags(pairs(&desired.tags)),
        validate::role_arn(&desired.role_arn),
        validate::vpc(&desired.subnet_ids, &desired.security_group_ids),
    ];
    if desired.runtime != current.runtime {
        checks.push(validate::runtime_for_new_function(&desired.runtime, today));
    }
    if let Some(arn) = &desired.dead_letter_arn {
        checks.push(validate::dead_letter_arn(arn));
    }
    checks.into_iter().filter_map(Result::err).collect()
}

fn lines(values: &[KeyValue]) -> String {
    values
        .iter()
        .map(|pair| format!("{}={}", pair.key, pair.value))
        .collect::<Vec<_>>()
        .join("\n")
}

fn none_if_empty(text: String) -> String {
    if text.is_empty() {
        "(none)".to_owned()
    } else {
        text
    }
}

/// The settings that differ, as (field, label, old, new).
pub fn differences(
    current: &FunctionSettings,
    desired: &FunctionSettings,
) -> Vec<(&'static str, &'static str, String, String)> {
    let (a, b) = (current, desired);
    let vpc = |settings: &FunctionSettings| {
        if settings.subnet_ids.is_empty() {
            String::new()
        } else {
            format!(
                "subnets {}; security groups {}",
                settings.subnet_ids.join(", "),
                settings.security_group_ids.join(", ")
            )
        }
    };
    let candidates = [
        (
            "description",
            "Description",
            a.description.clone(),
            b.description.clone(),
        ),
        ("runtime", "Runtime", a.runtime.clone(), b.runtime.clone()),
        ("handler", "Handler", a.handler.clone(), b.handler.clone()),
        (
            "architecture",
            "Architecture",
            a.architecture.as_str().to_owned(),
            b.architecture.as_str().to_owned(),
        ),
        (
            "memoryMb",
            "Memory",
            format!("{} MB", a.memory_mb),
            format!("{} MB", b.memory_mb),
        ),
        (
            "timeoutSeconds",
            "Timeout",
            format!("{} s", a.timeout_seconds),
            format!("{} s", b.timeout_seconds),
        ),
        (
            "ephemeralMb",
            "Ephemeral storage (/tmp)",
            format!("{} MB", a.ephemeral_mb),
            format!("{} MB", b.ephemeral_mb),
        ),
        (
            "environment",
            "Environment variables",
            lines(&a.environment),
            lines(&b.environment),
        ),
        ("tags", "Tags", lines(&a.tags), lines(&b.tags)),
        (
            "roleArn",
            "Execution role",
            a.role_arn.clone(),
            b.role_arn.clone(),
        ),
        (
            "deadLetterArn",
            "Dead-letter target",
            a.dead_letter_arn.clone().unwrap_or_default(),
            b.dead_letter_arn.clone().unwrap_or_default(),
        ),
        ("vpc", "VPC", vpc(a), vpc(b)),
    ];
    candidates
        .into_iter()
        .filter(|(_, _, old, new)| old != new)
        .map(|(field, label, old, new)| (field, label, none_if_empty(old), none_if_empty(new)))
        .collect()
}

fn plan(ctx: &AwsContext, name: &str, purpose: Purpose, steps: Vec<Box<dyn Step>>) -> Plan {
    Plan {
        purpose,
        function_name: name.to_owned(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        steps,
        staged: Vec::new(),
    }
}

/// Checks the desired settings against the function as it is now, and compiles the plan that
/// makes them so, with each change for Review. Sends nothing but reads.
pub async fn compile_configuration(
    ctx: &AwsContext,
    cache: &CodeCache,
    name: &str,
    desired: &FunctionSettings,
    today: &str,
) -> Result<(Plan, Vec<SettingChange>), AppError> {
    let details = function_details(ctx, name).await?;
    let current = &details.settings;
    if let Some(first) = problems(current, desired, today).into_iter().next() {
        return Err(first);
    }
    let differences = differences(current, desired);
    if differences.is_empty() {
        return Err(AppError::new(
            ErrorKind::Validation,
            "Nothing is changed, so there is nothing to apply.",
        )
        .with_hint("Change a setting first."));
    }
    let code_changes = desired.handler != current.handler
        || desired.runtime != current.runtime
        || desired.architecture != current.architecture;
    let package = if code_changes && !details.is_image {
        Some(fetch_code(ctx, cache, name).await?.1)
    } else {
        None
    };
    if let (Some(zip), Some(runtime)) = (&package, runtimes::runtime(&desired.runtime)) {
        let inspected = package::inspect_zip(zip)?;
        package::check_handler(&inspected, runtime.language, &desired.handler)
            .map_err(|error| error.with_field("handler"))?;
    }
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    let mut step_of_field = Vec::new();
    let update = UpdateConfiguration {
        name: name.to_owned(),
        from: current.clone(),
        to: desired.clone(),
    };
    if update.changes_anything() {
        step_of_field.push((None, steps.len()));
        steps.push(Box::new(update));
    }
    if desired.tags != current.tags {
        step_of_field.push((Some("tags"), steps.len()));
        steps.push(Box::new(RetagFunction {
            arn: details.arn.clone(),
            from: current.tags.clone(),
            to: desired.tags.clone(),
        }));
    }
    if desired.architecture != current.architecture {
        let zip = package.ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                "A container image's architecture is set by its image, not here.",
            )
            .with_field("architecture")
        })?;
        step_of_field.push((Some("architecture"), steps.len()));
        steps.push(Box::new(architecture_change(
            name,
            &zip,
            desired.architecture,
            current.architecture,
        )));
    }
    let step_for = |field: &str| {
        step_of_field
            .iter()
            .find(|(owner, _)| *owner == Some(field))
            .or_else(|| step_of_field.iter().find(|(owner, _)| owner.is_none()))
            .map(|(_, index)| u32::try_from(*index).unwrap_or(0))
            .unwrap_or(0)
    };
    let changes = differences
        .into_iter()
        .map(|(field, label, old, new)| SettingChange {
            field: field.to_owned(),
            label: label.to_owned(),
            old,
            new,
            step: step_for(field),
        })
        .collect();
    Ok((plan(ctx, name, Purpose::Configure, steps), changes))
}

/// Lambda sets the architecture with UpdateFunctionCode: the same package, deployed again.
fn architecture_change(
    name: &str,
    zip: &Path,
    to: Architecture,
    from: Architecture,
) -> UpdateFunctionCode {
    UpdateFunctionCode {
        name: name.to_owned(),
        code: FunctionCode::ZipFile {
            path: zip.to_owned(),
        },
        architecture: to,
        previous_package: zip.to_owned(),
        previous_architecture: from,
        cache: None,
    }
}

/// New code for a function from outside the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CodeReplacement {
    /// A zip or a folder the user chose or dropped, named by the id Rust gave it, staged in S3
    /// first when a bucket is given (a package over 50 MB needs one).
    Upload {
        source: String,
        staging: Option<Staging>,
    },
    S3 {
        bucket: String,
        key: String,
        version: Option<String>,
    },
}

/// Checks new code against the function's runtime and handler (as the wizard does) and compiles
/// the plan that deploys it. A folder is zipped to a staged file the plan deletes when done.
pub async fn compile_code_replacement(
    ctx: &AwsContext,
    cache: &CodeCache,
    sources: &Sources,
    data_dir: &Path,
    name: &str,
    replacement: &CodeReplacement,
) -> Result<Plan, AppError> {
    validate::function_name(name)?;
    let details = function_details(ctx, name).await?;
    let (_, previous) = fetch_code(ctx, cache, name).await?;
    let mut staged = Vec::new();
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    let code = match replacement {
        CodeReplacement::S3 {
            bucket,
            key,
            version,
        } => {
            validate::s3_bucket(bucket)?;
            validate::s3_key(key)?;
            FunctionCode::S3 {
                bucket: bucket.clone(),
                key: key.clone(),
                version: version.clone().filter(|version| !version.is_empty()),
            }
        }
        CodeReplacement::Upload { source, staging } => {
            if let Some(staging) = staging {
                validate::s3_bucket(&staging.bucket).map_err(|e| e.with_field("stagingBucket"))?;
            }
            let path = sources.path(source)?;
            let (folder, function) = (data_dir.to_owned(), name.to_owned());
            let chosen = path.clone();
            let package = tokio::task::spawn_blocking(move || {
                package::package_source(&chosen, &folder, &function)
            })
            .await
            .map_err(|err| {
                AppError::new(ErrorKind::Unknown, format!("Packaging stopped: {err}"))
            })??;
            if package.zip != path {
                staged.push(package.zip.clone());
            }
            let checked = match runtimes::runtime(&details.settings.runtime) {
                Some(runtime) => {
                    package::check_handler(&package, runtime.language, &details.settings.handler)
                }
                None => Ok(()),
            }
            .and_then(|()| package_code(staging.as_ref(), package, name, &mut steps));
            match checked {
                Ok(code) => code,
                Err(error) => {
                    for file in &staged {
                        let _ = std::fs::remove_file(file);
                    }
                    return Err(error);
                }
            }
        }
    };
    let keeps_copy = matches!(code, FunctionCode::ZipFile { .. });
    let step = UpdateFunctionCode {
        name: name.to_owned(),
        code,
        architecture: details.settings.architecture,
        previous_package: previous,
        previous_architecture: details.settings.architecture,
        cache: keeps_copy.then(|| cache.clone()),
    };
    steps.push(Box::new(step));
    let mut plan = plan(ctx, name, Purpose::DeployCode, steps);
    plan.staged = staged;
    Ok(plan)
}

/// Rebuilds the function's package with the edited files and compiles the plan that deploys it.
/// `base_sha256` is the code the edits were made to: if the function's code changed since, the
/// deploy is refused rather than overwriting someone else's change.
pub async fn compile_code_edits(
    ctx: &AwsContext,
    cache: &CodeCache,
    data_dir: &Path,
    name: &str,
    base_sha256: &str,
    edits: &[FileEdit],
) -> Result<Plan, AppError> {
    validate::function_name(name)?;
    let details = function_details(ctx, name).await?;
    if details.code_sha256 != base_sha256 {
        return Err(AppError::new(
            ErrorKind::Conflict,
            format!("The code of {name} changed after these files were opened."),
        )
        .with_hint(
            "Copy your edits, open the Code tab again to load the new code, and make them there.",
        ));
    }
    let (_, base) = fetch_code(ctx, cache, name).await?;
    let out = package::staging_path(data_dir, name);
    let rebuilt = {
        let (base, out, edits) = (base.clone(), out.clone(), edits.to_vec());
        tokio::task::spawn_blocking(move || {
            rebuild_with_edits(&base, &edits, &out)?;
            package::inspect_zip(&out)
        })
        .await
        .map_err(|err| {
            AppError::new(
                ErrorKind::Unknown,
                format!("Building the package stopped: {err}"),
            )
        })?
    };
    let checked =
        rebuilt.and_then(
            |inspected| match runtimes::runtime(&details.settings.runtime) {
                Some(runtime) => {
                    package::check_handler(&inspected, runtime.language, &details.settings.handler)
                }
                None => Ok(()),
            },
        );
    if let Err(error) = checked {
        let _ = std::fs::remove_file(&out);
        return Err(error);
    }
    let step = UpdateFunctionCode {
        name: name.to_owned(),
        code: FunctionCode::ZipFile { path: out.clone() },
        architecture: details.settings.architecture,
        previous_package: base,
        previous_architecture: details.settings.architecture,
        cache: Some(cache.clone()),
    };
    let mut plan = plan(ctx, name, Purpose::DeployCode, vec![Box::new(step)]);
    plan.staged.push(out);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> FunctionSettings {
        FunctionSettings {
            description: String::new(),
            runtime: "python3.13".into(),
            handler: "lambda_function.lambda_handler".into(),
            architecture: Architecture::X86_64,
            memory_mb: 128,
            timeout_seconds: 3,
            ephemeral_mb: 512,
            environment: Vec::new(),
            tags: Vec::new(),
            role_arn: "arn:aws:iam::123456789012:role/hello-role".into(),
            dead_letter_arn: None,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
        }
    }

    #[test]
    fn differences_name_each_changed_setting_with_its_values() {
        let mut desired = settings();
        desired.memory_mb = 256;
        desired.description = "Says hello".into();
        desired.environment = vec![KeyValue {
            key: "STAGE".into(),
            value: "dev".into(),
        }];
        assert_eq!(
            differences(&settings(), &desired),
            vec![
                (
                    "description",
                    "Description",
                    "(none)".into(),
                    "Says hello".into()
                ),
                ("memoryMb", "Memory", "128 MB".into(), "256 MB".into()),
                (
                    "environment",
                    "Environment variables",
                    "(none)".into(),
                    "STAGE=dev".into()
                ),
            ]
        );
        assert!(differences(&settings(), &settings()).is_empty());
    }

    #[test]
    fn every_wizard_rule_applies_and_a_kept_old_runtime_is_allowed() {
        let mut current = settings();
        current.runtime = "python3.9".into();
        let mut desired = current.clone();
        desired.memory_mb = 20_000;
        desired.timeout_seconds = 0;
        desired.environment = vec![KeyValue {
            key: "AWS_REGION".into(),
            value: "x".into(),
        }];
        desired.role_arn = "not-an-arn".into();
        let fields: Vec<String> = problems(&current, &desired, "2026-12-02")
            .into_iter()
            .filter_map(|error| error.field)
            .collect();
        assert_eq!(
            fields,
            ["memoryMb", "timeoutSeconds", "environment", "roleArn"]
        );
        desired = current.clone();
        desired.runtime = "nodejs18.x".into();
        let fields: Vec<String> = problems(&current, &desired, "2026-12-02")
            .into_iter()
            .filter_map(|error| error.field)
            .collect();
        assert_eq!(fields, ["runtime"]);
    }
}
