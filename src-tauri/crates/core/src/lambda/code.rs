//! A function's code: fetched once into the local Lambda's cache (Lambdesk's own copy, else
//! downloaded from `Code.Location`), listed and read for the Code tab, rebuilt with the user's
//! edits, and the plan step that deploys a package (UpdateFunctionCode, then the update waiter),
//! whose undo deploys the code it replaced.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_lambda::operation::get_function::GetFunctionOutput;
use aws_sdk_lambda::types::{Architecture as LambdaArchitecture, PackageType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::configuration::{wait_until_updated, wait_updated_command};
use super::{Architecture, FunctionCode, get_function};
use crate::aws::{AwsContext, ContextTag, body_timeout};
use crate::error::{AppError, ErrorKind};
use crate::local::{CodeCache, code_sha256};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

/// The Lambda console edits packages up to 3 MB; so does Lambdesk.
pub const EDITABLE_MAX_BYTES: u64 = 3 * 1024 * 1024;
/// A package is at most 250 MB unzipped, so never more zipped.
const MAX_DOWNLOAD_BYTES: u64 = 250 * 1024 * 1024;
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// One file of the deployed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageEntry {
    pub path: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// The file's text, for an editable package's text files; `None` for binaries, or when the
    /// package is too large to edit.
    pub text: Option<String>,
}

/// The deployed package as the Code tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageContents {
    pub context: ContextTag,
    pub function_name: String,
    /// The code these files are: a deploy from them is refused once the function's code changed.
    pub code_sha256: String,
    #[ts(type = "number")]
    pub zipped_bytes: u64,
    pub files: Vec<PackageEntry>,
    /// The file the handler names, when the package has it.
    pub handler_file: Option<String>,
    /// Why the editor is not offered, when it is not.
    pub not_editable: Option<String>,
}

/// A text file as the user edited it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileEdit {
    pub path: String,
    pub text: String,
}

/// The function's configuration and its current package in the cache, downloaded when the cache
/// does not hold it yet.
pub(crate) async fn fetch_code(
    ctx: &AwsContext,
    cache: &CodeCache,
    name: &str,
) -> Result<(GetFunctionOutput, PathBuf), AppError> {
    let found = get_function(ctx, name).await?;
    let config = super::configuration_of(&found, name)?;
    if config.package_type() == Some(&PackageType::Image) {
        return Err(AppError::new(
            ErrorKind::Validation,
            format!(
                "{name} is a container image; Lambdesk shows, edits and runs zip packages only."
            ),
        )
        .with_hint("Test it in its AWS account, and change its code by pushing a new image."));
    }
    let sha = config.code_sha256().unwrap_or_default().to_owned();
    if let Some(zip) = cache.zip(&sha)? {
        return Ok((found, zip));
    }
    let location = found.code().and_then(|code| code.location());
    let bytes = download(ctx, name, location, &sha).await?;
    cache.keep_bytes(&bytes)?;
    let zip = cache.zip(&sha)?.ok_or_else(|| {
        AppError::new(
            ErrorKind::Unknown,
            format!("The code of {name} was downloaded but not kept."),
        )
    })?;
    Ok((found, zip))
}

/// The function's current package, as a file in the cache.
pub async fn current_package(
    ctx: &AwsContext,
    cache: &CodeCache,
    name: &str,
) -> Result<PathBuf, AppError> {
    crate::validate::function_name(name)?;
    Ok(fetch_code(ctx, cache, name).await?.1)
}

/// Downloads a package from its presigned `Code.Location`, checking that it is the code Lambda
/// describes.
async fn download(
    ctx: &AwsContext,
    name: &str,
    location: Option<&str>,
    sha: &str,
) -> Result<Vec<u8>, AppError> {
    let unavailable = |why: String| {
        AppError::new(
            ErrorKind::NotFound,
            format!("The code of {name} cannot be had: {why}."),
        )
        .with_hint(
            "Deploy its code from Lambdesk (create the function with the wizard, or replace its \
             code), then try again: Lambdesk keeps a copy of every package it deploys.",
        )
    };
    let Some(location) = location else {
        return Err(unavailable(
            "Lambda gave no Code.Location, and Lambdesk has no copy of it".to_owned(),
        ));
    };
    let url = reqwest::Url::parse(location)
        .map_err(|_| unavailable("Lambda's Code.Location is not a URL".to_owned()))?;
    // Plain HTTP only from an endpoint the profile names (the sandbox, LocalStack).
    if url.scheme() != "https" && !(url.scheme() == "http" && ctx.endpoint_url.is_some()) {
        return Err(unavailable(format!(
            "Lambda's Code.Location uses {}, not https",
            url.scheme()
        )));
    }
    let client = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(DOWNLOAD_TIMEOUT)
        .build()
        .map_err(|err| unavailable(format!("no HTTP client ({err})")))?;
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|err| unavailable(format!("the download failed ({err})")))?;
    if !response.status().is_success() {
        return Err(unavailable(format!(
            "its Code.Location answered {} and Lambdesk has no copy of it",
            response.status()
        )));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| unavailable(format!("the download broke off ({err})")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > MAX_DOWNLOAD_BYTES {
            return Err(unavailable(
                "the download is larger than Lambda allows".to_owned(),
            ));
        }
    }
    if code_sha256(&bytes) != sha {
        return Err(unavailable(
            "the downloaded package is not the code Lambda describes (its CodeSha256 differs); \
             the code may have changed meanwhile"
                .to_owned(),
        ));
    }
    Ok(bytes)
}

fn unreadable(err: &dyn std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::Validation,
        format!("The function's package is not a readable zip: {err}"),
    )
    .with_field("package")
}

/// An entry's name; a name that is not UTF-8 is shown with its bad bytes replaced.
fn entry_name<R: Read + ?Sized>(entry: &zip::read::ZipFile<'_, R>) -> String {
    entry
        .name()
        .map(|name| name.into_owned())
        .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned())
}

/// Text a code editor can show: UTF-8 with no NUL byte.
fn as_text(bytes: Vec<u8>) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Lists the package's files, with the text of each text file when the package is small enough
/// to edit.
pub fn read_package(
    zip: &Path,
    handler_files: &[String],
) -> Result<(u64, Vec<PackageEntry>, Option<String>), AppError> {
    let zipped_bytes = std::fs::metadata(zip).map(|meta| meta.len()).unwrap_or(0);
    let editable = zipped_bytes <= EDITABLE_MAX_BYTES;
    let file = std::fs::File::open(zip).map_err(|err| unreadable(&err))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|err| unreadable(&err))?;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|err| unreadable(&err))?;
        if entry.is_dir() {
            continue;
        }
        let path = entry_name(&entry);
        let size_bytes = entry.size();
        let text = if editable {
            let mut bytes = Vec::with_capacity(usize::try_from(size_bytes).unwrap_or(0));
            entry
                .read_to_end(&mut bytes)
                .map_err(|err| unreadable(&err))?;
            as_text(bytes)
        } else {
            None
        };
        files.push(PackageEntry {
            path,
            size_bytes,
            text,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let handler_file = handler_files
        .iter()
        .find(|name| files.iter().any(|file| &file.path == *name))
        .cloned();
    Ok((zipped_bytes, files, handler_file))
}

/// The function's deployed package, as the Code tab shows it.
pub async fn package_contents(
    ctx: &AwsContext,
    cache: &CodeCache,
    name: &str,
) -> Result<PackageContents, AppError> {
    crate::validate::function_name(name)?;
    let (found, zip) = fetch_code(ctx, cache, name).await?;
    let config = found.configuration();
    let sha = config
        .and_then(|config| config.code_sha256())
        .unwrap_or_default()
        .to_owned();
    let handler_files = match (
        config.and_then(|config| config.runtime()),
        config.and_then(|config| config.handler()),
    ) {
        (Some(runtime), Some(handler)) => crate::runtimes::runtime(runtime.as_str())
            .map(|runtime| crate::package::handler_files(runtime.language, handler))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let (zipped_bytes, files, handler_file) =
        tokio::task::spawn_blocking(move || read_package(&zip, &handler_files))
            .await
            .map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("Reading the package stopped: {err}"),
                )
            })??;
    let not_editable = (zipped_bytes > EDITABLE_MAX_BYTES).then(|| {
        format!(
            "The package is {:.1} MB; the code editor opens packages up to 3 MB, as the Lambda console does. Download it, edit it on your machine, and replace the code.",
            zipped_bytes as f64 / 1_048_576.0
        )
    });
    Ok(PackageContents {
        context: ctx.tag(),
        function_name: name.to_owned(),
        code_sha256: sha,
        zipped_bytes,
        files,
        handler_file,
        not_editable,
    })
}

/// Writes `base` to `out` with the edited files' new text. Every other entry is copied as it is
/// (its bytes, mode and time), so only what the user changed differs. An edit must name a text
/// file of the package and change it.
pub fn rebuild_with_edits(base: &Path, edits: &[FileEdit], out: &Path) -> Result<(), AppError> {
    let refused =
        |message: String| AppError::new(ErrorKind::Validation, message).with_field("files");
    if edits.is_empty() {
        return Err(refused(
            "No file was changed, so there is nothing to deploy.".to_owned(),
        ));
    }
    let file = std::fs::File::open(base).map_err(|err| unreadable(&err))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|err| unreadable(&err))?;
    for edit in edits {
        let mut entry = archive.by_name(&edit.path).map_err(|_| {
            refused(format!(
                "The package has no file {:?} to change.",
                edit.path
            ))
        })?;
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|err| unreadable(&err))?;
        match as_text(bytes) {
            None => {
                return Err(refused(format!(
                    "{} is not a text file, so it cannot be edited here.",
                    edit.path
                )));
            }
            Some(text) if text == edit.text => {
                return Err(refused(format!("{} is unchanged.", edit.path)));
            }
            Some(_) => {}
        }
    }
    let failed = |err: &dyn std::fmt::Display| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not write the new package {}: {err}", out.display()),
        )
    };
    if let Some(folder) = out.parent() {
        std::fs::create_dir_all(folder).map_err(|err| failed(&err))?;
    }
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).map_err(|err| failed(&err))?);
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|err| unreadable(&err))?;
        let path = entry_name(&entry);
        let Some(edit) = edits.iter().find(|edit| edit.path == path) else {
            writer.raw_copy_file(entry).map_err(|err| failed(&err))?;
            continue;
        };
        let mut options = zip::write::SimpleFileOptions::default()
            .unix_permissions(entry.unix_mode().unwrap_or(0o644));
        if let Some(modified) = entry.last_modified() {
            options = options.last_modified_time(modified);
        }
        drop(entry);
        writer
            .start_file(path, options)
            .map_err(|err| failed(&err))?;
        writer
            .write_all(edit.text.as_bytes())
            .map_err(|err| failed(&err))?;
    }
    writer.finish().map_err(|err| failed(&err))?;
    Ok(())
}

/// Deploys a package to the function, and waits until Lambda has applied it. Undo deploys the
/// package it replaced, kept in the local Lambda's cache, with the architecture it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFunctionCode {
    pub name: String,
    pub code: FunctionCode,
    pub architecture: Architecture,
    pub previous_package: PathBuf,
    pub previous_architecture: Architecture,
    /// Keeps the new package in the cache once deployed, so the local Lambda runs it without a
    /// download.
    pub cache: Option<CodeCache>,
}

async fn deploy(
    ctx: &AwsContext,
    name: &str,
    code: &FunctionCode,
    architecture: Architecture,
) -> Result<(), AppError> {
    let doing = format!("update the code of {name}");
    let client = ctx.lambda();
    let request = client
        .update_function_code()
        .function_name(name)
        .architectures(LambdaArchitecture::from(architecture.as_str()));
    let request = match code {
        FunctionCode::ZipFile { path } => {
            let bytes = tokio::fs::read(path).await.map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("Could not read the package {}: {err}", path.display()),
                )
                .with_hint("Review the change again, so the package is written again.")
            })?;
            let length = bytes.len() as u64;
            request
                .zip_file(bytes.into())
                .customize()
                .config_override(
                    aws_sdk_lambda::config::Config::builder().timeout_config(body_timeout(length)),
                )
                .send()
                .await
        }
        FunctionCode::S3 {
            bucket,
            key,
            version,
        } => {
            request
                .s3_bucket(bucket)
                .s3_key(key)
                .set_s3_object_version(version.clone())
                .send()
                .await
        }
    };
    request.map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    wait_until_updated(ctx, name).await
}

impl Step for UpdateFunctionCode {
    fn summary(&self) -> String {
        let what = match &self.code {
            FunctionCode::ZipFile { .. } => "the new package".to_owned(),
            FunctionCode::S3 { bucket, key, .. } => format!("s3://{bucket}/{key}"),
        };
        if self.architecture == self.previous_architecture {
            format!(
                "Deploy {what} to {} and wait until the update is done.",
                self.name
            )
        } else {
            format!(
                "Deploy {what} to {} for {} and wait until the update is done.",
                self.name,
                self.architecture.as_str()
            )
        }
    }

    fn cli(&self, target: &CliTarget) -> String {
        let (zip_file, s3) = match &self.code {
            FunctionCode::ZipFile { path } => (Some(format!("fileb://{}", path.display())), None),
            FunctionCode::S3 {
                bucket,
                key,
                version,
            } => (None, Some((bucket, key, version))),
        };
        let command = Command::new("lambda", "update-function-code")
            .option("function-name", &self.name)
            .option_if("zip-file", zip_file.as_deref())
            .option_if("s3-bucket", s3.map(|(bucket, _, _)| bucket.as_str()))
            .option_if("s3-key", s3.map(|(_, key, _)| key.as_str()))
            .option_if(
                "s3-object-version",
                s3.and_then(|(_, _, version)| version.as_deref()),
            )
            .option_if(
                "architectures",
                (self.architecture != self.previous_architecture)
                    .then_some(self.architecture.as_str()),
            )
            .target(target)
            .render();
        format!("{command}\n{}", wait_updated_command(&self.name, target))
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            progress.say("Uploading; then waiting until Lambda has applied it.".to_owned());
            deploy(ctx, &self.name, &self.code, self.architecture).await?;
            if let (Some(cache), FunctionCode::ZipFile { path }) = (&self.cache, &self.code)
                && let Err(error) = cache.keep(path)
            {
                tracing::warn!(%error, function = %self.name, "could not keep a copy of the deployed package");
            }
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            let previous = FunctionCode::ZipFile {
                path: self.previous_package.clone(),
            };
            deploy(ctx, &self.name, &previous, self.previous_architecture).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path) -> PathBuf {
        let path = dir.join("base.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        writer
            .start_file("lambda_function.py", options.unix_permissions(0o644))
            .unwrap();
        writer
            .write_all(b"def lambda_handler(e, c):\n    return 1\n")
            .unwrap();
        writer
            .start_file("bootstrap", options.unix_permissions(0o755))
            .unwrap();
        writer.write_all(b"#!/bin/sh\n").unwrap();
        writer.start_file("blob.bin", options).unwrap();
        writer.write_all(&[0, 1, 2, 3]).unwrap();
        writer.finish().unwrap();
        path
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "lambdesk-code-{name}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn text_files_are_shown_and_binaries_are_not() {
        let dir = temp("read");
        let (zipped, files, handler) =
            read_package(&package(&dir), &["lambda_function.py".to_owned()]).unwrap();
        assert!(zipped > 0);
        let names: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(names, ["blob.bin", "bootstrap", "lambda_function.py"]);
        assert_eq!(files[0].text, None);
        assert_eq!(files[1].text.as_deref(), Some("#!/bin/sh\n"));
        assert_eq!(handler.as_deref(), Some("lambda_function.py"));
    }

    #[test]
    fn an_edit_changes_only_its_file_and_keeps_modes() {
        let dir = temp("edit");
        let base = package(&dir);
        let out = dir.join("out.zip");
        let edit = FileEdit {
            path: "lambda_function.py".into(),
            text: "def lambda_handler(e, c):\n    raise Exception('Exception raised manually.')\n"
                .into(),
        };
        rebuild_with_edits(&base, std::slice::from_ref(&edit), &out).unwrap();
        let (_, files, _) = read_package(&out, &[]).unwrap();
        let text = |name: &str| {
            files
                .iter()
                .find(|file| file.path == name)
                .and_then(|file| file.text.clone())
        };
        assert_eq!(text("lambda_function.py"), Some(edit.text.clone()));
        assert_eq!(text("bootstrap").as_deref(), Some("#!/bin/sh\n"));
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mode = archive.by_name("bootstrap").unwrap().unix_mode().unwrap();
        assert_eq!(mode & 0o777, 0o755);
        assert_ne!(
            code_sha256(&std::fs::read(&out).unwrap()),
            code_sha256(&std::fs::read(&base).unwrap())
        );
    }

    #[test]
    fn edits_must_name_a_changed_text_file_of_the_package() {
        let dir = temp("refuse");
        let base = package(&dir);
        let out = dir.join("out.zip");
        for (path, text, expected) in [
            ("../etc/passwd", "x", "has no file"),
            ("blob.bin", "x", "not a text file"),
            ("bootstrap", "#!/bin/sh\n", "unchanged"),
        ] {
            let edit = FileEdit {
                path: path.into(),
                text: text.into(),
            };
            let error = rebuild_with_edits(&base, &[edit], &out).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("files"));
            assert!(error.message.contains(expected), "{}", error.message);
        }
        let error = rebuild_with_edits(&base, &[], &out).unwrap_err();
        assert!(error.message.contains("nothing to deploy"));
        assert!(!out.exists());
    }
}
