//! Deployment packages: checking a zip before anything is sent (corrupt, unsafe paths, zip bombs,
//! Lambda's size limits, the handler's file), zipping a folder or a blueprint, knowing when a
//! package must go through S3, and the files the user picked or dropped, which are the only ones
//! Lambdesk reads: the page names them by an id, never by a path.

mod folder;

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zip::write::SimpleFileOptions;

use crate::blueprints::Blueprint;
use crate::error::{AppError, ErrorKind};
use crate::runtimes::Language;

/// Lambda takes a zip of at most 50 MB in the request itself; larger ones must come from S3.
pub const DIRECT_UPLOAD_MAX: u64 = 50 * 1024 * 1024;
/// Lambda refuses a package whose files add up to more than 250 MB.
pub const UNZIPPED_MAX: u64 = 250 * 1024 * 1024;
/// Deflate cannot do better than about 1032:1; a ratio this high is a bomb, not source code.
const BOMB_RATIO: u64 = 500;
/// Below this size a high ratio is harmless (a file of spaces, an empty-ish JSON).
const BOMB_MIN_BYTES: u64 = 1024 * 1024;
/// How many file names the page is sent to show; the checks read every entry.
const PREVIEW_FILES: usize = 50;

/// The files and folders the user chose through a dialog Rust opened, or dropped on the window
/// (Rust receives the drop): the only paths Lambdesk reads packages from. The page refers to one
/// by the id it was given.
#[derive(Debug, Default)]
pub struct Sources {
    paths: Mutex<HashMap<String, PathBuf>>,
    next: AtomicU64,
}

impl Sources {
    pub fn add(&self, path: PathBuf) -> String {
        let id = format!("source-{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        self.lock().insert(id.clone(), path);
        id
    }

    /// The path behind an id; an id Rust never gave out is refused.
    pub fn path(&self, id: &str) -> Result<PathBuf, AppError> {
        self.lock().get(id).cloned().ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                "Lambdesk reads only code you chose or dropped in this session, and this was not.",
            )
            .with_hint("Choose the .zip or folder again, or drop it on the window.")
            .with_field("package")
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PathBuf>> {
        self.paths
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A file or folder dropped on the window, as the page hears of it: the id to name it by, and
/// where it is, to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DroppedPackage {
    pub source: String,
    pub path: String,
}

/// What the wizard knows about a package after checking it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageInfo {
    /// The id of the chosen or dropped file or folder, which the draft names.
    pub source: String,
    /// Where it is, to show the user.
    pub path: String,
    pub is_folder: bool,
    #[ts(type = "number")]
    pub zipped_bytes: u64,
    #[ts(type = "number")]
    pub unzipped_bytes: u64,
    /// The first file names in the zip, as Lambda will see them, to show.
    pub files: Vec<String>,
    pub file_count: u32,
    /// Over 50 MB zipped: it has to be staged in S3.
    pub needs_s3: bool,
    /// What the user should know before uploading it (a `.env` file).
    pub warnings: Vec<String>,
}

/// One file in a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    pub name: String,
    pub executable: bool,
}

/// A checked zip: what the page is shown, and every file, for the handler check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub zip: PathBuf,
    pub zipped_bytes: u64,
    pub unzipped_bytes: u64,
    pub files: Vec<PackageFile>,
}

impl Package {
    pub fn needs_s3(&self) -> bool {
        self.zipped_bytes > DIRECT_UPLOAD_MAX
    }

    pub fn info(&self, source: &str, shown_path: &Path, is_folder: bool) -> PackageInfo {
        PackageInfo {
            source: source.to_owned(),
            path: shown_path.display().to_string(),
            is_folder,
            zipped_bytes: self.zipped_bytes,
            unzipped_bytes: self.unzipped_bytes,
            files: self
                .files
                .iter()
                .take(PREVIEW_FILES)
                .map(|file| file.name.clone())
                .collect(),
            file_count: u32::try_from(self.files.len()).unwrap_or(u32::MAX),
            needs_s3: self.needs_s3(),
            warnings: self.warnings(),
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|file| {
                let base = file.name.rsplit('/').next().unwrap_or(&file.name);
                base == ".env" || base.starts_with(".env.")
            })
            .map(|file| {
                format!(
                    "The package holds {}: its secrets would be uploaded to Lambda and readable by anyone who can download the code. Set them as environment variables instead, and leave the file out.",
                    file.name
                )
            })
            .collect()
    }
}

fn refused(message: String, hint: &str) -> AppError {
    AppError::new(ErrorKind::Validation, message)
        .with_hint(hint)
        .with_field("package")
}

/// Checks a zip file's structure without extracting it.
pub fn inspect_zip(path: &Path) -> Result<Package, AppError> {
    let file = File::open(path).map_err(|err| {
        refused(
            format!("Could not open {}: {err}.", path.display()),
            "Choose a .zip file you can read.",
        )
    })?;
    let zipped_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (files, unzipped_bytes) = check_archive(file, &path.display().to_string())?;
    Ok(Package {
        zip: path.to_owned(),
        zipped_bytes,
        unzipped_bytes,
        files,
    })
}

fn check_archive(
    reader: impl Read + Seek,
    name: &str,
) -> Result<(Vec<PackageFile>, u64), AppError> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|err| {
        refused(
            format!("{name} is not a readable zip file ({err})."),
            "Make the zip again, e.g. with `zip -r function.zip .` in the code's folder.",
        )
    })?;
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|err| {
            refused(
                format!("{name} is corrupt: entry {index} cannot be read ({err})."),
                "Make the zip again.",
            )
        })?;
        let entry_name = entry
            .name()
            .map(|name| name.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        if !is_safe_entry(&entry_name) {
            return Err(refused(
                format!("{name} holds an entry with an unsafe path: \"{entry_name}\"."),
                "Entries must be relative paths without \"..\"; zip the folder's contents from inside it.",
            ));
        }
        let size = entry.size();
        let compressed = entry.compressed_size().max(1);
        if size >= BOMB_MIN_BYTES && size / compressed > BOMB_RATIO {
            return Err(refused(
                format!(
                    "{name} looks like a zip bomb: \"{entry_name}\" claims {size} bytes from {compressed} compressed ({}:1).",
                    size / compressed
                ),
                "Real code does not compress that well; check where the file came from.",
            ));
        }
        total = total.saturating_add(size);
        if !entry.is_dir() {
            files.push(PackageFile {
                name: entry_name,
                executable: entry.unix_mode().is_some_and(|mode| mode & 0o111 != 0),
            });
        }
    }
    if total > UNZIPPED_MAX {
        return Err(too_large(name, total));
    }
    if files.is_empty() {
        return Err(refused(
            format!("{name} holds no files."),
            "Zip the code's files, not an empty folder.",
        ));
    }
    Ok((files, total))
}

fn too_large(name: &str, bytes: u64) -> AppError {
    refused(
        format!(
            "{name} unzips to more than {} MB; Lambda allows at most 250 MB.",
            bytes / (1024 * 1024)
        ),
        "Move large dependencies into a Lambda layer or use a container image.",
    )
}

fn is_safe_entry(name: &str) -> bool {
    let path = Path::new(name);
    !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains(":\\")
        && !name.split(['/', '\\']).any(|part| part == "..")
        && path
            .components()
            .all(|component| matches!(component, Component::Normal(_) | Component::CurDir))
}

/// The files a handler string can live in, in the order Lambda looks: `lambda_function.handler`
/// on Python is `lambda_function.py`; `src/app.handler` on Node.js is `src/app.js`, `.mjs` or
/// `.cjs`. Empty where the handler names no file (Java, .NET, custom runtimes).
pub fn handler_files(language: Language, handler: &str) -> Vec<String> {
    if language == Language::Custom {
        return vec!["bootstrap".to_owned()];
    }
    let Some((module, _function)) = handler.rsplit_once('.') else {
        return Vec::new();
    };
    match language {
        Language::Python => vec![format!("{}.py", module.replace('.', "/"))],
        Language::Nodejs => ["js", "mjs", "cjs"]
            .iter()
            .map(|ext| format!("{module}.{ext}"))
            .collect(),
        Language::Ruby => vec![format!("{module}.rb")],
        Language::Custom | Language::Java | Language::Dotnet => Vec::new(),
    }
}

/// Refuses a package that lacks the file its handler names, checked against every file in it. A
/// custom runtime (`provided.*`) needs an executable `bootstrap` at the root, whatever the handler.
pub fn check_handler(package: &Package, language: Language, handler: &str) -> Result<(), AppError> {
    let found = |name: &str| package.files.iter().find(|file| file.name == name);
    if language == Language::Custom
        && let Some(bootstrap) = found("bootstrap")
        && !bootstrap.executable
    {
        return Err(AppError::new(
            ErrorKind::Validation,
            "The package's bootstrap is not executable, so Lambda cannot start it.",
        )
        .with_hint(
            "Run `chmod +x bootstrap` and zip it again (on Linux or macOS, so the mode is kept).",
        )
        .with_field("package"));
    }
    require_handler_file(
        language,
        handler,
        "the package",
        |file| found(file).is_some(),
        || {
            let names: Vec<String> = package.files.iter().map(|f| f.name.clone()).collect();
            format!(
                "The package holds {}. Change the handler, or zip the folder that holds the file (not its parent).",
                preview(&names)
            )
        },
    )
}

/// Refuses code, wherever it is (`place`), that lacks the file its handler names: `has` says
/// whether a file is there, `hint` what to do when it is not.
pub fn require_handler_file(
    language: Language,
    handler: &str,
    place: &str,
    has: impl Fn(&str) -> bool,
    hint: impl FnOnce() -> String,
) -> Result<(), AppError> {
    let candidates = handler_files(language, handler);
    if candidates.is_empty() || candidates.iter().any(|file| has(file)) {
        return Ok(());
    }
    let needs = if language == Language::Custom {
        "an executable bootstrap at its root".to_owned()
    } else {
        candidates.join(" or ")
    };
    Err(AppError::new(
        ErrorKind::Validation,
        format!("Handler \"{handler}\" needs {needs} in {place}, which does not have it."),
    )
    .with_hint(hint())
    .with_field("handler"))
}

fn preview(files: &[String]) -> String {
    let shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
    if files.len() > shown.len() {
        format!(
            "{} and {} more",
            shown.join(", "),
            files.len() - shown.len()
        )
    } else {
        shown.join(", ")
    }
}

/// Zips a folder's contents (not the folder itself) to `out`, keeping executable bits and leaving
/// `.git` out, and checks the result like any other package. The walk stops as soon as the files
/// pass Lambda's 250 MB, and a zip left half-written is deleted.
pub fn zip_folder(folder: &Path, out: &Path) -> Result<Package, AppError> {
    let zipped = folder::write_folder_zip(folder, out).and_then(|()| inspect_zip(out));
    if zipped.is_err() {
        let _ = std::fs::remove_file(out);
    }
    zipped
}

/// Creates a file Lambdesk writes a package to, and the folders it goes in.
fn create_file(out: &Path) -> std::io::Result<File> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    File::create(out)
}

/// Checks a chosen or dropped path: a zip as it is, a folder by zipping it to a scratch file in
/// `data_dir` that is deleted again once it has been checked.
pub fn inspect_source(source: &str, path: &Path, data_dir: &Path) -> Result<PackageInfo, AppError> {
    if path.is_dir() {
        let scratch = staging_path(data_dir, "folder-check");
        let package = zip_folder(path, &scratch);
        let _ = std::fs::remove_file(&scratch);
        Ok(package?.info(source, path, true))
    } else {
        Ok(inspect_zip(path)?.info(source, path, false))
    }
}

/// The package a chosen or dropped path makes: a zip as it is, a folder zipped to a new staged
/// file (which the caller deletes when done with it).
pub fn package_source(path: &Path, data_dir: &Path, name: &str) -> Result<Package, AppError> {
    if path.is_dir() {
        zip_folder(path, &staging_path(data_dir, name))
    } else {
        inspect_zip(path)
    }
}

/// A blueprint's files as a zip, written to `out`.
pub fn zip_blueprint(blueprint: &Blueprint, out: &Path) -> Result<Package, AppError> {
    let failed = |err: &dyn std::fmt::Display| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not write the package for {}: {err}.", blueprint.name),
        )
    };
    let mut writer = zip::ZipWriter::new(create_file(out).map_err(|err| failed(&err))?);
    for file in &blueprint.files {
        writer
            .start_file(
                file.path.as_str(),
                SimpleFileOptions::default().unix_permissions(0o644),
            )
            .map_err(|err| failed(&err))?;
        writer
            .write_all(file.text.as_bytes())
            .map_err(|err| failed(&err))?;
    }
    writer.finish().map_err(|err| failed(&err))?;
    inspect_zip(out)
}

fn packages_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("packages")
}

/// A new file for a package Lambdesk writes, named after the function and unique to this call,
/// so two calls never write the same file. It is kept while the plan that needs it is under
/// review (the plan's CLI text points at it) and deleted when the plan is done.
pub fn staging_path(data_dir: &Path, name: &str) -> PathBuf {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    packages_dir(data_dir).join(format!(
        "{name}-{}-{}-{nanos}.zip",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Deletes staged packages older than `age`, which a closed or crashed app left behind.
pub fn prune_staged(data_dir: &Path, age: Duration) {
    let Ok(files) = std::fs::read_dir(packages_dir(data_dir)) else {
        return;
    };
    let now = SystemTime::now();
    for file in files.flatten() {
        let old = file
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| now.duration_since(modified).unwrap_or_default() > age);
        if old && let Err(err) = std::fs::remove_file(file.path()) {
            tracing::warn!(file = %file.path().display(), error = %err, "an old staged package was not deleted");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        zip_with(zip::CompressionMethod::Deflated, entries)
    }

    fn zip_with(method: zip::CompressionMethod, entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            writer
                .start_file(
                    *name,
                    SimpleFileOptions::default().compression_method(method),
                )
                .unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn check(bytes: Vec<u8>) -> Result<(Vec<String>, u64), AppError> {
        check_archive(Cursor::new(bytes), "function.zip")
            .map(|(files, total)| (files.into_iter().map(|f| f.name).collect(), total))
    }

    fn package_of(bytes: Vec<u8>) -> Package {
        let (files, unzipped_bytes) = check_archive(Cursor::new(bytes), "function.zip").unwrap();
        Package {
            zip: "function.zip".into(),
            zipped_bytes: 1,
            unzipped_bytes,
            files,
        }
    }

    fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lambdesk-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_plain_zip_passes_and_lists_its_files() {
        let (files, total) = check(zip_of(&[
            ("lambda_function.py", b"def lambda_handler(e, c): pass\n"),
            ("lib/util.py", b"x = 1\n"),
        ]))
        .unwrap();
        assert_eq!(files, ["lambda_function.py", "lib/util.py"]);
        assert_eq!(total, 37);
    }

    #[test]
    fn corrupt_zips_are_refused() {
        let error = check(b"PK\x03\x04 this is not really a zip".to_vec()).unwrap_err();
        assert!(error.message.contains("not a readable zip"), "{error:?}");
        assert_eq!(error.field.as_deref(), Some("package"));
        let mut truncated = zip_of(&[("a.py", b"print(1)\n")]);
        truncated.truncate(truncated.len() - 10);
        assert!(check(truncated).is_err());
    }

    #[test]
    fn absolute_and_parent_paths_are_refused() {
        for name in [
            "/etc/passwd",
            "../evil.py",
            "lib/../../evil.py",
            "C:\\evil.py",
        ] {
            let error = check(zip_of(&[(name, b"x")])).unwrap_err();
            assert!(error.message.contains("unsafe path"), "{name}: {error:?}");
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_by_its_ratio() {
        let zeros = vec![0u8; 20 * 1024 * 1024];
        let error = check(zip_of(&[("zeros.bin", &zeros)])).unwrap_err();
        assert!(error.message.contains("zip bomb"), "{error:?}");
        let small_zeros = vec![0u8; 100 * 1024];
        assert!(check(zip_of(&[("small.bin", &small_zeros)])).is_ok());
    }

    #[test]
    fn over_250_mb_unzipped_is_refused() {
        let chunk = vec![7u8; 30 * 1024 * 1024];
        let names: Vec<String> = (0..9).map(|i| format!("data{i}.bin")).collect();
        let entries: Vec<(&str, &[u8])> = names
            .iter()
            .map(|n| (n.as_str(), chunk.as_slice()))
            .collect();
        let error = check(zip_with(zip::CompressionMethod::Stored, &entries)).unwrap_err();
        assert!(error.message.contains("250 MB"), "{error:?}");
    }

    #[test]
    fn handler_files_follow_the_runtime() {
        assert_eq!(
            handler_files(Language::Python, "lambda_function.lambda_handler"),
            ["lambda_function.py"]
        );
        assert_eq!(
            handler_files(Language::Python, "pkg.app.main"),
            ["pkg/app.py"]
        );
        assert_eq!(
            handler_files(Language::Nodejs, "src/app.handler"),
            ["src/app.js", "src/app.mjs", "src/app.cjs"]
        );
        assert!(handler_files(Language::Java, "example.Handler::handleRequest").is_empty());
        let package = package_of(zip_of(&[("app.py", b"x")]));
        let error = check_handler(&package, Language::Python, "lambda_function.lambda_handler")
            .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("handler"));
        assert!(error.message.contains("lambda_function.py"));
        assert!(check_handler(&package, Language::Python, "app.handler").is_ok());
    }

    #[test]
    fn every_entry_is_checked_for_the_handler_and_the_preview_stays_short() {
        let names: Vec<String> = (0..499).map(|i| format!("vendor/lib{i:03}.py")).collect();
        let mut entries: Vec<(&str, &[u8])> = names
            .iter()
            .map(|n| (n.as_str(), &b"x = 1\n"[..]))
            .collect();
        entries.push(("lambda_function.py", b"def lambda_handler(e, c): pass\n"));
        let package = package_of(zip_of(&entries));
        assert_eq!(package.files.len(), 500);
        check_handler(&package, Language::Python, "lambda_function.lambda_handler").unwrap();
        let info = package.info("source-1", Path::new("/tmp/big.zip"), false);
        assert_eq!(info.file_count, 500);
        assert_eq!(info.files.len(), PREVIEW_FILES);
    }

    #[test]
    fn a_custom_runtime_needs_an_executable_bootstrap_at_the_root() {
        let without = package_of(zip_of(&[("main", b"\x7fELF")]));
        let error = check_handler(&without, Language::Custom, "bootstrap").unwrap_err();
        assert!(error.message.contains("executable bootstrap"), "{error:?}");

        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file(
                "bootstrap",
                SimpleFileOptions::default().unix_permissions(0o644),
            )
            .unwrap();
        writer.write_all(b"#!/bin/sh\n").unwrap();
        let not_executable = package_of(writer.finish().unwrap().into_inner());
        let error = check_handler(&not_executable, Language::Custom, "bootstrap").unwrap_err();
        assert!(error.message.contains("not executable"), "{error:?}");

        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file(
                "bootstrap",
                SimpleFileOptions::default().unix_permissions(0o755),
            )
            .unwrap();
        writer.write_all(b"#!/bin/sh\n").unwrap();
        let runnable = package_of(writer.finish().unwrap().into_inner());
        check_handler(&runnable, Language::Custom, "anything-at-all").unwrap();
        check_handler(&runnable, Language::Custom, "bootstrap").unwrap();
    }

    #[test]
    fn a_folder_zips_with_relative_paths_and_modes() {
        let dir = scratch("zip");
        std::fs::create_dir_all(dir.join("src/lib")).unwrap();
        std::fs::create_dir_all(dir.join("src/.git/objects")).unwrap();
        std::fs::write(dir.join("src/.git/objects/ab"), "history").unwrap();
        std::fs::write(dir.join("src/.env"), "TOKEN=secret\n").unwrap();
        std::fs::write(dir.join("src/app.py"), "def handler(e, c): return 1\n").unwrap();
        std::fs::write(dir.join("src/lib/util.py"), "x = 1\n").unwrap();
        std::fs::write(dir.join("src/bootstrap"), "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.join("src/bootstrap"),
                std::fs::Permissions::from_mode(0o755),
            )
            .unwrap();
        }
        let out = dir.join("out.zip");
        let package = zip_folder(&dir.join("src"), &out).unwrap();
        let names: Vec<&str> = package.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [".env", "app.py", "bootstrap", "lib/util.py"]);
        let info = package.info("source-1", &dir.join("src"), true);
        assert_eq!(info.warnings.len(), 1);
        assert!(info.warnings[0].contains(".env"), "{:?}", info.warnings);
        #[cfg(unix)]
        {
            let mut archive = zip::ZipArchive::new(File::open(&out).unwrap()).unwrap();
            assert_eq!(
                archive.by_name("bootstrap").unwrap().unix_mode().unwrap() & 0o777,
                0o755
            );
        }
        assert!(zip_folder(&dir.join("missing"), &dir.join("x.zip")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_same_folder_zips_to_the_same_bytes_in_name_order_on_every_core() {
        let dir = scratch("same-bytes");
        let mut expected = Vec::new();
        for n in 0..60 {
            let name = format!("pkg{}/module_{n:02}.py", n % 3);
            // Sizes from a few bytes to 60 kB, so the workers get uneven shares.
            let text = format!("value_{n} = {n}\n").repeat(1 + n * n * 4);
            std::fs::create_dir_all(dir.join("src").join(format!("pkg{}", n % 3))).unwrap();
            std::fs::write(dir.join("src").join(&name), &text).unwrap();
            expected.push((name, text));
        }
        expected.sort();
        let first = dir.join("first.zip");
        let second = dir.join("second.zip");
        zip_folder(&dir.join("src"), &first).unwrap();
        zip_folder(&dir.join("src"), &second).unwrap();
        let bytes = std::fs::read(&first).unwrap();
        assert_eq!(bytes, std::fs::read(&second).unwrap(), "byte for byte");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut found = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            if entry.is_dir() {
                continue;
            }
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            found.push((entry.name().unwrap().into_owned(), text));
        }
        assert_eq!(found, expected, "every file, whole, in name order");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn zipping_stops_at_250_mb_during_the_walk() {
        let dir = scratch("too-big");
        std::fs::write(dir.join("a_handler.py"), "x = 1\n").unwrap();
        // A sparse file: 260 MB by its size, nothing on disk; reading it would take seconds.
        File::create(dir.join("b_model.bin"))
            .unwrap()
            .set_len(260 * 1024 * 1024)
            .unwrap();
        std::fs::write(dir.join("c_after.py"), "y = 2\n").unwrap();
        let out = dir.join("out.zip");
        let error = zip_folder(&dir, &out).unwrap_err();
        assert!(error.message.contains("250 MB"), "{error:?}");
        assert!(!out.exists(), "no half-written zip is left");
    }

    #[test]
    fn staged_packages_get_a_new_name_per_call() {
        let data = Path::new("/data");
        let first = staging_path(data, "hello");
        let second = staging_path(data, "hello");
        assert_ne!(first, second);
        assert!(first.starts_with("/data/packages"));
        assert!(
            first
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("hello-")
        );
    }

    #[test]
    fn sources_give_back_only_what_was_added() {
        let sources = Sources::default();
        let id = sources.add(PathBuf::from("/home/me/code.zip"));
        assert_eq!(
            sources.path(&id).unwrap(),
            PathBuf::from("/home/me/code.zip")
        );
        let error = sources.path("source-99").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("package"));
        assert!(sources.path("/home/me/.ssh").is_err());
    }
}
