//! Deployment packages: checking a zip before anything is sent (corrupt, unsafe paths, zip bombs,
//! Lambda's size limits, the handler's file), zipping a folder or a blueprint, and knowing when a
//! package must go through S3.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};

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

/// What the wizard knows about a package after checking it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageInfo {
    /// The zip to upload (for a folder, the one Lambdesk wrote).
    pub path: String,
    /// The folder it was made from, when it was.
    pub source_folder: Option<String>,
    #[ts(type = "number")]
    pub zipped_bytes: u64,
    #[ts(type = "number")]
    pub unzipped_bytes: u64,
    /// File names in the zip, as Lambda will see them (at most the first 200).
    pub files: Vec<String>,
    pub file_count: u32,
    /// Over 50 MB zipped: it has to be staged in S3.
    pub needs_s3: bool,
}

fn refused(message: String, hint: &str) -> AppError {
    AppError::new(ErrorKind::Validation, message)
        .with_hint(hint)
        .with_field("package")
}

/// Checks a zip file's structure without extracting it.
pub fn inspect_zip(path: &Path) -> Result<PackageInfo, AppError> {
    let file = File::open(path).map_err(|err| {
        refused(
            format!("Could not open {}: {err}.", path.display()),
            "Choose a .zip file you can read.",
        )
    })?;
    let zipped_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (files, unzipped_bytes) = check_archive(file, &path.display().to_string())?;
    Ok(PackageInfo {
        path: path.display().to_string(),
        source_folder: None,
        zipped_bytes,
        unzipped_bytes,
        file_count: u32::try_from(files.len()).unwrap_or(u32::MAX),
        files: files.into_iter().take(200).collect(),
        needs_s3: zipped_bytes > DIRECT_UPLOAD_MAX,
    })
}

fn check_archive(reader: impl Read + Seek, name: &str) -> Result<(Vec<String>, u64), AppError> {
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
            files.push(entry_name);
        }
    }
    if total > UNZIPPED_MAX {
        return Err(refused(
            format!(
                "{name} unzips to {} MB; Lambda allows at most 250 MB.",
                total / (1024 * 1024)
            ),
            "Move large dependencies into a Lambda layer or use a container image.",
        ));
    }
    if files.is_empty() {
        return Err(refused(
            format!("{name} holds no files."),
            "Zip the code's files, not an empty folder.",
        ));
    }
    Ok((files, total))
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
        Language::Custom => vec!["bootstrap".to_owned()],
        Language::Java | Language::Dotnet => Vec::new(),
    }
}

/// Refuses a package that lacks the file its handler names.
pub fn check_handler(
    info: &PackageInfo,
    language: Language,
    handler: &str,
) -> Result<(), AppError> {
    require_handler_file(
        language,
        handler,
        "the package",
        |file| info.files.iter().any(|held| held == file),
        || {
            format!(
                "The package holds {}. Change the handler, or zip the folder that holds the file (not its parent).",
                preview(&info.files)
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
    Err(AppError::new(
        ErrorKind::Validation,
        format!(
            "Handler \"{handler}\" needs {} in {place}, which does not have it.",
            candidates.join(" or ")
        ),
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

/// Zips a folder's contents (not the folder itself) to `out`, keeping executable bits, and checks
/// the result like any other package.
pub fn zip_folder(folder: &Path, out: &Path) -> Result<PackageInfo, AppError> {
    let failed = |err: &dyn std::fmt::Display| {
        refused(
            format!("Could not zip {}: {err}.", folder.display()),
            "Check that the folder and its files can be read.",
        )
    };
    if !folder.is_dir() {
        return Err(refused(
            format!("{} is not a folder.", folder.display()),
            "Drop or pick a folder, or a .zip file.",
        ));
    }
    let mut writer = zip::ZipWriter::new(create_file(out).map_err(|err| failed(&err))?);
    let mut entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|err| failed(&err))?;
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    for entry in entries {
        let relative = entry
            .path()
            .strip_prefix(folder)
            .map_err(|err| failed(&err))?
            .to_string_lossy()
            .replace('\\', "/");
        let options = SimpleFileOptions::default().unix_permissions(mode_of(&entry));
        if entry.file_type().is_dir() {
            writer
                .add_directory(format!("{relative}/"), options)
                .map_err(|err| failed(&err))?;
        } else if entry.file_type().is_file() {
            writer
                .start_file(relative, options)
                .map_err(|err| failed(&err))?;
            let mut source = File::open(entry.path()).map_err(|err| failed(&err))?;
            std::io::copy(&mut source, &mut writer).map_err(|err| failed(&err))?;
        }
    }
    writer.finish().map_err(|err| failed(&err))?;
    let mut info = inspect_zip(out)?;
    info.source_folder = Some(folder.display().to_string());
    Ok(info)
}

#[cfg(unix)]
fn mode_of(entry: &walkdir::DirEntry) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    entry
        .metadata()
        .map_or(0o644, |m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(entry: &walkdir::DirEntry) -> u32 {
    if entry.file_type().is_dir() {
        0o755
    } else {
        0o644
    }
}

/// Creates a file Lambdesk writes a package to, and the folders it goes in.
fn create_file(out: &Path) -> std::io::Result<File> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    File::create(out)
}

/// A dropped or picked path: a folder is zipped to `folder_zip`, anything else is checked as a zip.
pub fn inspect_path(path: &Path, folder_zip: &Path) -> Result<PackageInfo, AppError> {
    if path.is_dir() {
        zip_folder(path, folder_zip)
    } else {
        inspect_zip(path)
    }
}

/// A blueprint's files as a zip, written to `out`.
pub fn zip_blueprint(blueprint: &Blueprint, out: &Path) -> Result<PackageInfo, AppError> {
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

/// Where packages Lambdesk writes are kept until the function is created: the CLI text of a plan
/// points at them, so they must outlive the request.
pub fn staging_path(data_dir: &Path, name: &str) -> PathBuf {
    data_dir.join("packages").join(format!("{name}.zip"))
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
        let info = PackageInfo {
            path: "f.zip".into(),
            source_folder: None,
            zipped_bytes: 1,
            unzipped_bytes: 1,
            files: vec!["app.py".into()],
            file_count: 1,
            needs_s3: false,
        };
        let error =
            check_handler(&info, Language::Python, "lambda_function.lambda_handler").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("handler"));
        assert!(error.message.contains("lambda_function.py"));
        assert!(check_handler(&info, Language::Python, "app.handler").is_ok());
    }

    #[test]
    fn a_folder_zips_with_relative_paths_and_modes() {
        let dir = std::env::temp_dir().join(format!("lambdesk-zip-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/lib")).unwrap();
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
        let info = zip_folder(&dir.join("src"), &out).unwrap();
        assert_eq!(info.files, ["app.py", "bootstrap", "lib/util.py"]);
        assert_eq!(
            info.source_folder.as_deref(),
            Some(dir.join("src").to_str().unwrap())
        );
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
}
