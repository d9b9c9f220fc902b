//! The create-function wizard's answers (a `FunctionDraft`) and how they compile to a `Plan` of
//! the services' steps: every rule is checked and the package is built and inspected here, before
//! any request is sent.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::partition;
use crate::blueprints;
use crate::error::{AppError, ErrorKind};
use crate::iam::{self, AttachRolePolicy, CreateRole, PutRolePolicy};
pub use crate::lambda::{Architecture, KeyValue};
use crate::lambda::{CreateFunction, FunctionCode, FunctionSpec, KeepCopy};
use crate::ledger::new_token;
use crate::local::CodeCache;
use crate::package::{self, Package, Sources};
use crate::plan::{Plan, Purpose, Step};
use crate::runtimes::{self, Language};
use crate::s3::{CreateBucket, UploadPackage};
use crate::validate;

/// Where the code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CodeSource {
    /// A minimal handler for the runtime, written by Lambdesk.
    Scratch,
    Blueprint {
        id: String,
    },
    /// A zip or a folder (zipped by Lambdesk) the user chose or dropped, named by the id Rust gave
    /// it: the page never names a path.
    Upload {
        source: String,
    },
    S3 {
        bucket: String,
        key: String,
        version: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RoleChoice {
    Existing {
        arn: String,
    },
    New {
        name: String,
        /// Policy template ids; `basic` is added if missing.
        templates: Vec<String>,
        #[serde(rename = "customPolicy")]
        custom_policy: Option<String>,
    },
}

/// A bucket to stage a large package in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Staging {
    pub bucket: String,
    /// Create the bucket as part of the plan.
    pub create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionDraft {
    pub name: String,
    pub runtime: String,
    pub handler: String,
    pub architecture: Architecture,
    pub description: String,
    pub code: CodeSource,
    pub staging: Option<Staging>,
    pub role: RoleChoice,
    pub memory_mb: i32,
    pub timeout_seconds: i32,
    pub ephemeral_mb: i32,
    pub environment: Vec<KeyValue>,
    pub tags: Vec<KeyValue>,
    pub dead_letter_arn: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

fn pairs(values: &[KeyValue]) -> impl Iterator<Item = (&str, &str)> + Clone {
    values
        .iter()
        .map(|pair| (pair.key.as_str(), pair.value.as_str()))
}

/// Every rule the draft breaks that can be told without reading files, one error per field.
pub fn problems(draft: &FunctionDraft, today: &str) -> Vec<AppError> {
    let mut checks = vec![
        validate::function_name(&draft.name),
        validate::runtime_for_new_function(&draft.runtime, today),
        validate::handler(
            &draft.handler,
            runtimes::runtime(&draft.runtime).map(|r| r.language),
        ),
        validate::description(&draft.description),
        validate::memory_mb(draft.memory_mb),
        validate::timeout_seconds(draft.timeout_seconds),
        validate::ephemeral_mb(draft.ephemeral_mb),
        validate::environment(pairs(&draft.environment)),
        validate::new_function_tags(pairs(&draft.tags)),
        validate::vpc(&draft.subnet_ids, &draft.security_group_ids),
    ];
    if let Some(arn) = &draft.dead_letter_arn {
        checks.push(validate::dead_letter_arn(arn));
    }
    match &draft.code {
        CodeSource::Blueprint { id } if blueprints::blueprint(id).is_none() => {
            checks.push(Err(AppError::new(
                ErrorKind::Validation,
                format!("There is no blueprint \"{id}\"."),
            )
            .with_field("blueprint")));
        }
        CodeSource::Scratch if scratch_language(&draft.runtime).is_none() => {
            checks.push(Err(AppError::new(
                ErrorKind::Validation,
                format!(
                    "Lambdesk can start {} from scratch only in Python or Node.js.",
                    draft.runtime
                ),
            )
            .with_hint("Bring your own code as a zip or a folder for this runtime.")
            .with_field("runtime")));
        }
        CodeSource::Upload { source } if source.trim().is_empty() => {
            checks.push(Err(AppError::new(
                ErrorKind::Validation,
                "Choose the code to upload.",
            )
            .with_field("package")));
        }
        CodeSource::S3 {
            bucket,
            key,
            version,
        } => {
            checks.push(validate::s3_bucket(bucket));
            checks.push(validate::s3_key(key));
            if version
                .as_deref()
                .is_some_and(|v| v.is_empty() || v.len() > 1024)
            {
                checks.push(Err(AppError::new(
                    ErrorKind::Validation,
                    "The object version must be 1 to 1024 characters, or empty for the latest.",
                )
                .with_field("s3Version")));
            }
        }
        _ => {}
    }
    if let Some(staging) = &draft.staging {
        checks
            .push(validate::s3_bucket(&staging.bucket).map_err(|e| e.with_field("stagingBucket")));
    }
    match &draft.role {
        RoleChoice::Existing { arn } => checks.push(validate::role_arn(arn)),
        RoleChoice::New {
            name,
            templates,
            custom_policy,
        } => {
            checks.push(validate::role_name(name));
            if let Some(unknown) = templates.iter().find(|id| iam::template(id).is_none()) {
                checks.push(Err(AppError::new(
                    ErrorKind::Validation,
                    format!("There is no policy template \"{unknown}\"."),
                )
                .with_field("templates")));
            }
            if let Some(document) = custom_policy.as_deref().filter(|d| !d.trim().is_empty()) {
                checks.push(validate::policy_document(document));
            }
        }
    }
    checks.into_iter().filter_map(Result::err).collect()
}

/// Every problem of the draft: its fields, and then, when the code, runtime and handler are
/// well-formed, the handler checked against the chosen zip or folder.
pub fn check(draft: &FunctionDraft, today: &str, sources: &Sources) -> Vec<AppError> {
    let mut found = problems(draft, today);
    let code_fields = ["package", "handler", "runtime"];
    if !found
        .iter()
        .any(|p| p.field.as_deref().is_some_and(|f| code_fields.contains(&f)))
    {
        found.extend(package_problem(draft, sources));
    }
    found
}

/// What is wrong with the chosen zip or folder for this handler, checked on the files themselves:
/// a zip's entries, or the folder's files. Cheap enough to run on every Next.
fn package_problem(draft: &FunctionDraft, sources: &Sources) -> Option<AppError> {
    let language = runtimes::runtime(&draft.runtime)?.language;
    let CodeSource::Upload { source } = &draft.code else {
        return None;
    };
    let path = match sources.path(source) {
        Ok(path) => path,
        Err(error) => return Some(error),
    };
    if !path.is_dir() {
        return package::inspect_zip(&path)
            .and_then(|zip| package::check_handler(&zip, language, &draft.handler))
            .err();
    }
    let executable = |file: &Path| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        file.is_file()
    };
    if language == Language::Custom
        && path.join("bootstrap").is_file()
        && !executable(&path.join("bootstrap"))
    {
        return Some(
            AppError::new(
                ErrorKind::Validation,
                "The folder's bootstrap is not executable, so Lambda cannot start it.",
            )
            .with_hint("Run `chmod +x bootstrap` in the folder.")
            .with_field("package"),
        );
    }
    package::require_handler_file(
        language,
        &draft.handler,
        &path.display().to_string(),
        |file| path.join(file).is_file(),
        || {
            "Change the handler, or choose the folder that holds the file (not its parent)."
                .to_owned()
        },
    )
    .err()
}

fn scratch_language(runtime: &str) -> Option<Language> {
    runtimes::runtime(runtime)
        .map(|runtime| runtime.language)
        .filter(|language| matches!(language, Language::Python | Language::Nodejs))
}

/// A first function for the runtime, with the file and function the handler names.
fn scratch_file(language: Language, handler: &str) -> (String, String) {
    let (module, function) = handler
        .rsplit_once('.')
        .unwrap_or(("lambda_function", "lambda_handler"));
    match language {
        Language::Nodejs => (
            format!("{module}.mjs"),
            format!(
                "export const {function} = async (event) => {{\n  return {{ statusCode: 200, body: JSON.stringify(\"Hello from Lambda!\") }};\n}};\n"
            ),
        ),
        _ => (
            format!("{}.py", module.replace('.', "/")),
            format!(
                "import json\n\n\ndef {function}(event, context):\n    return {{\"statusCode\": 200, \"body\": json.dumps(\"Hello from Lambda!\")}}\n"
            ),
        ),
    }
}

/// Builds or finds the package and checks it against the handler. `None` for code already in
/// S3. A package Lambdesk wrote is added to `staged`, to be deleted when the plan is done.
fn prepare_package(
    draft: &FunctionDraft,
    data_dir: &Path,
    sources: &Sources,
    staged: &mut Vec<PathBuf>,
) -> Result<Option<Package>, AppError> {
    let new_zip = || package::staging_path(data_dir, &draft.name);
    let package = match &draft.code {
        CodeSource::S3 { .. } => return Ok(None),
        CodeSource::Upload { source } => {
            let path = sources.path(source)?;
            let package = package::package_source(&path, data_dir, &draft.name)?;
            if package.zip != path {
                staged.push(package.zip.clone());
            }
            package
        }
        CodeSource::Blueprint { id } => {
            let blueprint = blueprints::blueprint(id).ok_or_else(|| {
                AppError::new(
                    ErrorKind::Validation,
                    format!("There is no blueprint \"{id}\"."),
                )
            })?;
            let out = new_zip();
            staged.push(out.clone());
            package::zip_blueprint(blueprint, &out)?
        }
        CodeSource::Scratch => {
            let language = scratch_language(&draft.runtime).unwrap_or(Language::Python);
            let (path, text) = scratch_file(language, &draft.handler);
            let blueprint = blueprints::Blueprint {
                id: "scratch".into(),
                name: draft.name.clone(),
                description: String::new(),
                runtime: draft.runtime.clone(),
                handler: draft.handler.clone(),
                tags: Vec::new(),
                policy_templates: Vec::new(),
                trigger: None,
                files: vec![blueprints::BlueprintFile { path, text }],
                sample_event: "{}".into(),
            };
            let out = new_zip();
            staged.push(out.clone());
            package::zip_blueprint(&blueprint, &out)?
        }
    };
    if let Some(runtime) = runtimes::runtime(&draft.runtime) {
        package::check_handler(&package, runtime.language, &draft.handler)?;
    }
    Ok(Some(package))
}

/// How a package reaches Lambda: in the request, or, when a staging bucket is chosen (which a
/// package over 50 MB needs), uploaded to S3 first by steps added to `steps`.
pub fn package_code(
    staging: Option<&Staging>,
    package: Package,
    function_name: &str,
    steps: &mut Vec<Box<dyn Step>>,
) -> Result<FunctionCode, AppError> {
    match staging {
        Some(staging) => {
            if staging.create {
                steps.push(Box::new(CreateBucket {
                    bucket: staging.bucket.clone(),
                }));
            }
            let key = format!("lambdesk-packages/{function_name}.zip");
            steps.push(Box::new(UploadPackage {
                bucket: staging.bucket.clone(),
                key: key.clone(),
                file: package.zip,
            }));
            Ok(FunctionCode::S3 {
                bucket: staging.bucket.clone(),
                key,
                version: None,
            })
        }
        None if package.needs_s3() => Err(AppError::new(
            ErrorKind::Validation,
            format!(
                "The package is {:.1} MB zipped; Lambda takes at most 50 MB in the request.",
                package.zipped_bytes as f64 / 1_048_576.0
            ),
        )
        .with_hint(
            "Stage it in S3: pick or create a bucket in this region, and Lambdesk uploads it there first.",
        )
        .with_field("package")),
        None => Ok(FunctionCode::ZipFile { path: package.zip }),
    }
}

/// Where a plan will run and where it may write: what `compile` needs besides the draft.
pub struct Target<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub data_dir: &'a Path,
    pub today: &'a str,
    pub sources: &'a Sources,
}

/// Checks the draft and turns it into the plan Review shows. Writes the package to the data
/// folder (the plan lists it, to be deleted when done); sends nothing.
pub fn compile(draft: &FunctionDraft, target: &Target) -> Result<Plan, AppError> {
    if let Some(first) = problems(draft, target.today).into_iter().next() {
        return Err(first);
    }
    let mut staged = Vec::new();
    let built = compile_steps(draft, target, &mut staged);
    match built {
        Ok(steps) => Ok(Plan {
            purpose: Purpose::Create,
            function_name: draft.name.clone(),
            account_id: target.account.to_owned(),
            region: target.region.to_owned(),
            steps,
            staged,
        }),
        Err(error) => {
            for file in staged {
                let _ = std::fs::remove_file(file);
            }
            Err(error)
        }
    }
}

fn compile_steps(
    draft: &FunctionDraft,
    target: &Target,
    staged: &mut Vec<PathBuf>,
) -> Result<Vec<Box<dyn Step>>, AppError> {
    let (account, region) = (target.account, target.region);
    let package = prepare_package(draft, target.data_dir, target.sources, staged)?;
    let owner_token = new_token();
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    let mut role_grants = Vec::new();
    let (role_arn, role_is_new) = match &draft.role {
        RoleChoice::Existing { arn } => (arn.clone(), false),
        RoleChoice::New {
            name,
            templates,
            custom_policy,
        } => {
            steps.push(Box::new(CreateRole {
                role: name.clone(),
                function: draft.name.clone(),
                token: owner_token.clone(),
            }));
            let mut wanted: Vec<&str> = iam::templates()
                .iter()
                .filter(|t| t.always)
                .map(|t| t.id.as_str())
                .collect();
            wanted.extend(templates.iter().map(String::as_str));
            if !draft.subnet_ids.is_empty() {
                wanted.push("vpc");
            }
            match draft
                .dead_letter_arn
                .as_deref()
                .and_then(|arn| arn.split(':').nth(2))
            {
                Some("sns") => wanted.push("dlq-sns"),
                Some("sqs") => wanted.push("dlq-sqs"),
                _ => {}
            }
            let mut seen = Vec::new();
            for id in wanted {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let Some(template) = iam::template(id) else {
                    continue;
                };
                role_grants.extend(template.checked_by_lambda.iter().cloned());
                if let Some(policy_arn) = &template.managed_policy {
                    let policy_arn =
                        policy_arn.replacen("arn:aws:", &format!("arn:{}:", partition(region)), 1);
                    steps.push(Box::new(AttachRolePolicy {
                        role: name.clone(),
                        policy_arn,
                    }));
                }
                if let Some(document) = template.inline_document(region, account) {
                    steps.push(Box::new(PutRolePolicy {
                        role: name.clone(),
                        policy_name: template.inline_policy_name(),
                        document,
                    }));
                }
            }
            if let Some(document) = custom_policy
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                let compact = serde_json::from_str::<serde_json::Value>(document)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|_| document.to_owned());
                steps.push(Box::new(PutRolePolicy {
                    role: name.clone(),
                    policy_name: "lambdesk-custom".into(),
                    document: compact,
                }));
            }
            (
                format!("arn:{}:iam::{account}:role/{name}", partition(region)),
                true,
            )
        }
    };
    let keep_copy = package.as_ref().map(|package| KeepCopy {
        package: package.zip.clone(),
        cache: CodeCache::in_data_dir(target.data_dir),
    });
    let code = match (&draft.code, package) {
        (
            CodeSource::S3 {
                bucket,
                key,
                version,
            },
            _,
        ) => FunctionCode::S3 {
            bucket: bucket.clone(),
            key: key.clone(),
            version: version.clone().filter(|v| !v.is_empty()),
        },
        (_, Some(package)) => {
            package_code(draft.staging.as_ref(), package, &draft.name, &mut steps)?
        }
        (_, None) => unreachable!("prepare_package returns a package for every source but S3"),
    };
    steps.push(Box::new(CreateFunction(FunctionSpec {
        name: draft.name.clone(),
        runtime: draft.runtime.clone(),
        handler: draft.handler.clone(),
        role_arn,
        role_is_new,
        role_grants,
        architecture: draft.architecture,
        description: draft.description.clone(),
        code,
        memory_mb: draft.memory_mb,
        timeout_seconds: draft.timeout_seconds,
        ephemeral_mb: draft.ephemeral_mb,
        environment: draft.environment.clone(),
        tags: draft.tags.clone(),
        owner_token,
        dead_letter_arn: draft.dead_letter_arn.clone(),
        subnet_ids: draft.subnet_ids.clone(),
        security_group_ids: draft.security_group_ids.clone(),
        keep_copy,
    })));
    Ok(steps)
}
