//! The create-function wizard's answers (a `FunctionDraft`) and how they compile to a `Plan`:
//! every rule is checked and the package is built and inspected here, before any request is sent.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::blueprints;
use crate::error::{AppError, ErrorKind};
use crate::package::{self, PackageInfo};
use crate::plan::{FunctionCode, FunctionSpec, Plan, Step};
use crate::roles;
use crate::runtimes::{self, Language};
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Architecture {
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// Where the code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CodeSource {
    /// A minimal handler for the runtime, written by Lambdesk.
    Scratch,
    Blueprint {
        id: String,
    },
    Zip {
        path: String,
    },
    /// A folder, zipped by Lambdesk.
    Folder {
        path: String,
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

fn pairs(values: &[KeyValue]) -> impl Iterator<Item = (&str, &str)> {
    values
        .iter()
        .map(|pair| (pair.key.as_str(), pair.value.as_str()))
}

/// Every rule the draft breaks that can be told without reading files, one error per field.
pub fn problems(draft: &FunctionDraft, today: &str) -> Vec<AppError> {
    let mut checks = vec![
        validate::function_name(&draft.name),
        validate::runtime_for_new_function(&draft.runtime, today),
        validate::handler(&draft.handler),
        validate::description(&draft.description),
        validate::memory_mb(draft.memory_mb),
        validate::timeout_seconds(draft.timeout_seconds),
        validate::ephemeral_mb(draft.ephemeral_mb),
        validate::environment(pairs(&draft.environment)),
        validate::tags(pairs(&draft.tags)),
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
        CodeSource::Zip { path } | CodeSource::Folder { path } if path.trim().is_empty() => {
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
            if let Some(unknown) = templates.iter().find(|id| roles::template(id).is_none()) {
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
pub fn check(draft: &FunctionDraft, today: &str) -> Vec<AppError> {
    let mut found = problems(draft, today);
    let code_fields = ["package", "handler", "runtime"];
    if !found
        .iter()
        .any(|p| p.field.as_deref().is_some_and(|f| code_fields.contains(&f)))
    {
        found.extend(package_problem(draft));
    }
    found
}

/// What is wrong with the chosen zip or folder for this handler, checked on the files themselves:
/// a zip's listing, or the folder's files. Cheap enough to run as the user types.
fn package_problem(draft: &FunctionDraft) -> Option<AppError> {
    let language = runtimes::runtime(&draft.runtime)?.language;
    match &draft.code {
        CodeSource::Zip { path } if !path.is_empty() => package::inspect_zip(Path::new(path))
            .and_then(|info| package::check_handler(&info, language, &draft.handler))
            .err(),
        CodeSource::Folder { path } if !path.is_empty() => {
            let folder = Path::new(path);
            if !folder.is_dir() {
                return Some(
                    AppError::new(ErrorKind::Validation, format!("{path} is not a folder."))
                        .with_field("package"),
                );
            }
            package::require_handler_file(
                language,
                &draft.handler,
                path,
                |file| folder.join(file).is_file(),
                || {
                    "Change the handler, or choose the folder that holds the file (not its parent)."
                        .to_owned()
                },
            )
            .err()
        }
        _ => None,
    }
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

/// Builds or finds the package and checks it against the handler. `None` for code already in S3.
pub fn prepare_package(
    draft: &FunctionDraft,
    data_dir: &Path,
) -> Result<Option<PackageInfo>, AppError> {
    let staged = package::staging_path(data_dir, &draft.name);
    let info = match &draft.code {
        CodeSource::S3 { .. } => return Ok(None),
        CodeSource::Zip { path } => package::inspect_zip(Path::new(path))?,
        CodeSource::Folder { path } => package::zip_folder(Path::new(path), &staged)?,
        CodeSource::Blueprint { id } => {
            let blueprint = blueprints::blueprint(id).ok_or_else(|| {
                AppError::new(
                    ErrorKind::Validation,
                    format!("There is no blueprint \"{id}\"."),
                )
            })?;
            package::zip_blueprint(blueprint, &staged)?
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
            package::zip_blueprint(&blueprint, &staged)?
        }
    };
    if let Some(runtime) = runtimes::runtime(&draft.runtime) {
        package::check_handler(&info, runtime.language, &draft.handler)?;
    }
    Ok(Some(info))
}

/// The IAM partition of a region: `aws`, `aws-cn` or `aws-us-gov`.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Checks the draft and turns it into the plan Review shows. Writes the package to the data
/// folder; sends nothing.
pub fn compile(
    draft: &FunctionDraft,
    account: &str,
    region: &str,
    data_dir: &Path,
    today: &str,
) -> Result<Plan, AppError> {
    if let Some(first) = problems(draft, today).into_iter().next() {
        return Err(first);
    }
    let package = prepare_package(draft, data_dir)?;
    let mut steps = Vec::new();
    let (role_arn, role_is_new) = match &draft.role {
        RoleChoice::Existing { arn } => (arn.clone(), false),
        RoleChoice::New {
            name,
            templates,
            custom_policy,
        } => {
            steps.push(Step::CreateRole { role: name.clone() });
            let mut wanted: Vec<&str> = roles::templates()
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
                let Some(template) = roles::template(id) else {
                    continue;
                };
                if let Some(policy_arn) = &template.managed_policy {
                    let policy_arn =
                        policy_arn.replacen("arn:aws:", &format!("arn:{}:", partition(region)), 1);
                    steps.push(Step::AttachRolePolicy {
                        role: name.clone(),
                        policy_arn,
                    });
                }
                if let Some(document) = template.inline_document(region, account) {
                    steps.push(Step::PutRolePolicy {
                        role: name.clone(),
                        policy_name: template.inline_policy_name(),
                        document,
                    });
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
                steps.push(Step::PutRolePolicy {
                    role: name.clone(),
                    policy_name: "lambdesk-custom".into(),
                    document: compact,
                });
            }
            (
                format!("arn:{}:iam::{account}:role/{name}", partition(region)),
                true,
            )
        }
    };
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
        (_, Some(info)) => match &draft.staging {
            Some(staging) => {
                if staging.create {
                    steps.push(Step::CreateBucket {
                        bucket: staging.bucket.clone(),
                    });
                }
                let key = format!("lambdesk-packages/{}.zip", draft.name);
                steps.push(Step::UploadPackage {
                    bucket: staging.bucket.clone(),
                    key: key.clone(),
                    file: info.path.clone(),
                });
                FunctionCode::S3 {
                    bucket: staging.bucket.clone(),
                    key,
                    version: None,
                }
            }
            None if info.needs_s3 => {
                return Err(AppError::new(
                    ErrorKind::Validation,
                    format!("The package is {:.1} MB zipped; Lambda takes at most 50 MB in the request.", info.zipped_bytes as f64 / 1_048_576.0),
                )
                .with_hint("Stage it in S3: pick or create a bucket in this region, and Lambdesk uploads it there first.")
                .with_field("package"));
            }
            None => FunctionCode::ZipFile { path: info.path },
        },
        (_, None) => unreachable!("prepare_package returns a package for every source but S3"),
    };
    steps.push(Step::CreateFunction(Box::new(FunctionSpec {
        name: draft.name.clone(),
        runtime: draft.runtime.clone(),
        handler: draft.handler.clone(),
        role_arn,
        role_is_new,
        architecture: draft.architecture,
        description: draft.description.clone(),
        code,
        memory_mb: draft.memory_mb,
        timeout_seconds: draft.timeout_seconds,
        ephemeral_mb: draft.ephemeral_mb,
        environment: draft.environment.clone(),
        tags: draft.tags.clone(),
        dead_letter_arn: draft.dead_letter_arn.clone(),
        subnet_ids: draft.subnet_ids.clone(),
        security_group_ids: draft.security_group_ids.clone(),
    })));
    Ok(Plan {
        function_name: draft.name.clone(),
        steps,
    })
}
