//! The local Lambda's code: a copy of every package Lambdesk deployed or downloaded, and its
//! unpacked folder, both keyed by the package's `CodeSha256`, and pruned when unused for a week or
//! when the cache passes 2 GB.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::error::{AppError, ErrorKind};

/// Lambda's limit on a function's unpacked code.
const MAX_UNZIPPED_BYTES: u64 = 250 * 1024 * 1024;
const UNUSED_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
const CACHE_LIMIT_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// A package used this recently may be running right now, so pruning never takes it.
const IN_USE_FOR: Duration = Duration::from_secs(15 * 60);

/// Lambda's `CodeSha256` of a package: the SHA-256 of the zip, in base64.
pub fn code_sha256(bytes: &[u8]) -> String {
    aws_smithy_types::base64::encode(Sha256::digest(bytes))
}

/// The cache's folders, under the app's data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCache {
    zips: PathBuf,
    unpacked: PathBuf,
}

impl CodeCache {
    /// The cache under the app's data folder.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self::new(&data_dir.join("local"))
    }

    pub fn new(local_dir: &Path) -> Self {
        Self {
            zips: local_dir.join("packages"),
            unpacked: local_dir.join("unpacked"),
        }
    }

    /// Keeps a copy of a package Lambdesk deployed, so the local Lambda can run that code later;
    /// returns its `CodeSha256`.
    pub fn keep(&self, zip: &Path) -> Result<String, AppError> {
        let bytes = fs::read(zip).map_err(|err| cache_error("read the package", zip, &err))?;
        self.keep_bytes(&bytes)
    }

    pub fn keep_bytes(&self, bytes: &[u8]) -> Result<String, AppError> {
        let sha = code_sha256(bytes);
        let path = self.zip_path(&sha)?;
        if !path.exists() {
            write_atomically(&path, bytes)?;
        }
        Ok(sha)
    }

    /// Whether the cache can give the code of that `CodeSha256` without a download.
    pub fn holds(&self, code_sha256: &str) -> bool {
        let Ok(key) = key_of(code_sha256) else {
            return false;
        };
        self.unpacked.join(&key).is_dir() || self.zips.join(format!("{key}.zip")).is_file()
    }

    /// The kept zip of that code, marked as just used; `None` when the cache does not hold it.
    pub fn zip(&self, code_sha256: &str) -> Result<Option<PathBuf>, AppError> {
        let path = self.zip_path(code_sha256)?;
        if !path.is_file() {
            return Ok(None);
        }
        touch(&path);
        Ok(Some(path))
    }

    /// The unpacked folder of that code, unpacking the kept zip first if needed; `None` when the
    /// cache holds neither.
    pub fn unpacked(&self, code_sha256: &str) -> Result<Option<PathBuf>, AppError> {
        let key = key_of(code_sha256)?;
        let folder = self.unpacked.join(&key);
        if !folder.is_dir() {
            let zip = self.zips.join(format!("{key}.zip"));
            if !zip.is_file() {
                return Ok(None);
            }
            unpack(&zip, &folder)?;
            touch(&zip);
            if let Err(error) = self.prune(SystemTime::now()) {
                tracing::warn!(%error, "could not prune the local Lambda's code cache");
            }
        }
        touch(&self.used_marker(&key));
        Ok(Some(folder))
    }

    /// Removes packages unused for a week, then the least recently used ones while the cache is
    /// over 2 GB; returns how many entries went.
    pub fn prune(&self, now: SystemTime) -> Result<usize, AppError> {
        self.prune_over(now, CACHE_LIMIT_BYTES)
    }

    fn prune_over(&self, now: SystemTime, limit_bytes: u64) -> Result<usize, AppError> {
        let mut entries = self.entries()?;
        entries.sort_by_key(|entry| entry.used);
        let mut total: u64 = entries.iter().map(|entry| entry.bytes).sum();
        let mut removed = 0;
        for entry in &entries {
            let idle = now.duration_since(entry.used).unwrap_or_default();
            let stale = idle > UNUSED_FOR;
            let over = total > limit_bytes && idle > IN_USE_FOR;
            if !(stale || over) {
                continue;
            }
            for path in &entry.paths {
                let gone = if path.is_dir() {
                    fs::remove_dir_all(path)
                } else {
                    fs::remove_file(path)
                };
                if let Err(err) = gone
                    && err.kind() != std::io::ErrorKind::NotFound
                {
                    return Err(cache_error("remove an unused package", path, &err));
                }
            }
            total = total.saturating_sub(entry.bytes);
            removed += 1;
        }
        Ok(removed)
    }

    fn zip_path(&self, code_sha256: &str) -> Result<PathBuf, AppError> {
        Ok(self.zips.join(format!("{}.zip", key_of(code_sha256)?)))
    }

    fn used_marker(&self, key: &str) -> PathBuf {
        self.unpacked.join(format!("{key}.used"))
    }

    /// Every cached package, as the files that hold it, their size and when it was last used.
    fn entries(&self) -> Result<Vec<Entry>, AppError> {
        let mut entries: Vec<Entry> = Vec::new();
        for (dir, is_zip) in [(&self.zips, true), (&self.unpacked, false)] {
            let listing = match fs::read_dir(dir) {
                Ok(listing) => listing,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => return Err(cache_error("list", dir, &err)),
            };
            for item in listing.flatten() {
                let path = item.path();
                let name = item.file_name().to_string_lossy().into_owned();
                let (key, bytes) = if is_zip {
                    match name.strip_suffix(".zip") {
                        Some(key) => (key.to_owned(), file_size(&path)),
                        None => continue,
                    }
                } else if path.is_dir() {
                    (name.clone(), folder_size(&path))
                } else {
                    match name.strip_suffix(".used") {
                        Some(key) => (key.to_owned(), 0),
                        None => continue,
                    }
                };
                let used = fs::metadata(&path)
                    .and_then(|meta| meta.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                match entries.iter_mut().find(|entry| entry.key == key) {
                    Some(entry) => {
                        entry.paths.push(path);
                        entry.bytes += bytes;
                        entry.used = entry.used.max(used);
                    }
                    None => entries.push(Entry {
                        key,
                        paths: vec![path],
                        bytes,
                        used,
                    }),
                }
            }
        }
        Ok(entries)
    }
}

struct Entry {
    key: String,
    paths: Vec<PathBuf>,
    bytes: u64,
    used: SystemTime,
}

/// The file name of a `CodeSha256`: its digest in hex, so no `/` or `+` from base64 reaches a path.
fn key_of(code_sha256: &str) -> Result<String, AppError> {
    let digest = aws_smithy_types::base64::decode(code_sha256)
        .ok()
        .filter(|digest| digest.len() == 32)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                format!("{code_sha256:?} is not a CodeSha256 (a SHA-256 digest in base64)."),
            )
        })?;
    Ok(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Unpacks into a fresh folder beside the target and renames it into place, so a half-unpacked
/// package is never taken for a whole one.
fn unpack(zip: &Path, folder: &Path) -> Result<(), AppError> {
    let file = fs::File::open(zip).map_err(|err| cache_error("open the package", zip, &err))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|err| {
        AppError::new(
            ErrorKind::Validation,
            format!("The function's package is not a readable zip: {err}"),
        )
        .with_field("package")
    })?;
    let unzipped: u64 = (0..archive.len())
        .filter_map(|index| archive.by_index_raw(index).ok().map(|entry| entry.size()))
        .sum();
    if unzipped > MAX_UNZIPPED_BYTES {
        return Err(AppError::new(
            ErrorKind::LimitExceeded,
            format!(
                "The package unzips to {:.1} MB; Lambda allows at most 250 MB.",
                unzipped as f64 / 1_048_576.0
            ),
        )
        .with_field("package"));
    }
    let parent = folder.parent().unwrap_or(folder);
    fs::create_dir_all(parent).map_err(|err| cache_error("create", parent, &err))?;
    let partial = parent.join(format!(".partial-{}", uuid::Uuid::new_v4().simple()));
    let unpacked = archive.extract(&partial).map_err(|err| {
        AppError::new(
            ErrorKind::Validation,
            format!("The function's package could not be unpacked: {err}"),
        )
        .with_field("package")
    });
    let placed = unpacked.and_then(|()| {
        fs::rename(&partial, folder).or_else(|err| {
            // Another invoke unpacked the same code first.
            if folder.is_dir() {
                Ok(())
            } else {
                Err(cache_error("place the unpacked package in", folder, &err))
            }
        })
    });
    let _ = fs::remove_dir_all(&partial);
    placed
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let parent = path.parent().unwrap_or(path);
    fs::create_dir_all(parent).map_err(|err| cache_error("create", parent, &err))?;
    let partial = parent.join(format!(".partial-{}", uuid::Uuid::new_v4().simple()));
    fs::write(&partial, bytes)
        .and_then(|()| fs::rename(&partial, path))
        .map_err(|err| {
            let _ = fs::remove_file(&partial);
            cache_error("keep the package in", path, &err)
        })
}

fn touch(path: &Path) {
    let touched = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()));
    if let Err(error) = touched {
        tracing::debug!(%error, path = %path.display(), "could not mark a package as used");
    }
}

fn file_size(path: &Path) -> u64 {
    fs::metadata(path).map(|meta| meta.len()).unwrap_or(0)
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

fn cache_error(doing: &str, path: &Path, err: &std::io::Error) -> AppError {
    AppError::new(
        ErrorKind::Unknown,
        format!(
            "The local Lambda could not {doing} {}: {err}",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn package(files: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in files {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "lambdesk-cache-{name}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_kept_package_unpacks_under_its_code_sha256() {
        let dir = scratch("keep");
        let cache = CodeCache::new(&dir);
        let bytes = package(&[("lambda_function.py", "def lambda_handler(e, c): return 1\n")]);
        let sha = cache.keep_bytes(&bytes).unwrap();
        assert_eq!(sha, code_sha256(&bytes));
        assert!(cache.holds(&sha));
        let folder = cache
            .unpacked(&sha)
            .unwrap()
            .expect("the kept package unpacks");
        assert!(folder.join("lambda_function.py").is_file());
        assert_eq!(cache.unpacked(&code_sha256(b"other")).unwrap(), None);
        assert!(cache.unpacked("not base64 at all!").is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unused_packages_go_after_a_week() {
        let dir = scratch("prune");
        let cache = CodeCache::new(&dir);
        let sha = cache.keep_bytes(&package(&[("a.py", "")])).unwrap();
        cache.unpacked(&sha).unwrap();
        let now = SystemTime::now();
        assert_eq!(
            cache
                .prune(now + Duration::from_secs(6 * 24 * 3600))
                .unwrap(),
            0
        );
        assert!(cache.holds(&sha));
        assert_eq!(
            cache
                .prune(now + Duration::from_secs(8 * 24 * 3600))
                .unwrap(),
            1
        );
        assert!(!cache.holds(&sha));
        assert!(fs::read_dir(dir.join("unpacked")).unwrap().next().is_none());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_full_cache_drops_the_least_recently_used_first() {
        let dir = scratch("full");
        let cache = CodeCache::new(&dir);
        let older = cache.keep_bytes(&package(&[("a.py", "old")])).unwrap();
        let newer = cache.keep_bytes(&package(&[("b.py", "new")])).unwrap();
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(cache.zip_path(&older).unwrap())
            .unwrap()
            .set_modified(an_hour_ago - Duration::from_secs(60))
            .unwrap();
        fs::File::options()
            .write(true)
            .open(cache.zip_path(&newer).unwrap())
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
        let one_package = file_size(&cache.zip_path(&newer).unwrap());
        assert_eq!(cache.prune_over(SystemTime::now(), one_package).unwrap(), 1);
        assert!(!cache.holds(&older));
        assert!(cache.holds(&newer));
        fs::remove_dir_all(dir).unwrap();
    }
}
