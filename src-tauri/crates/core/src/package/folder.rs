//! Zipping a folder on every core. Each worker deflates its share of the files into an archive of
//! its own in memory; the entries are then copied, already compressed, into the package in name
//! order. Name order, the zip format's fixed 1980 timestamps and per-file compression make the same
//! folder give the same bytes every time, so an unchanged folder keeps its CodeSha256 and is not
//! deployed again for nothing.

use std::fs::File;
use std::io::Cursor;
use std::num::NonZeroUsize;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

use super::{UNZIPPED_MAX, create_file, refused, too_large};
use crate::error::AppError;

/// Folders never zipped: version control history is not code.
const SKIPPED_FOLDERS: &[&str] = &[".git"];

/// One file of the folder: its entry, its name in the package and its size.
struct FolderFile<'a> {
    entry: &'a walkdir::DirEntry,
    name: String,
    bytes: u64,
}

pub(super) fn write_folder_zip(folder: &Path, out: &Path) -> Result<(), AppError> {
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
    let mut entries = Vec::new();
    let mut total: u64 = 0;
    let walk = walkdir::WalkDir::new(folder)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            !(entry.file_type().is_dir()
                && SKIPPED_FOLDERS.contains(&entry.file_name().to_string_lossy().as_ref()))
        });
    for entry in walk {
        let entry = entry.map_err(|err| failed(&err))?;
        let bytes = if entry.file_type().is_file() {
            entry.metadata().map_err(|err| failed(&err))?.len()
        } else {
            0
        };
        total += bytes;
        if total > UNZIPPED_MAX {
            return Err(too_large(&folder.display().to_string(), total));
        }
        entries.push((entry, bytes));
    }
    let name_of = |entry: &walkdir::DirEntry| -> Result<String, AppError> {
        Ok(entry
            .path()
            .strip_prefix(folder)
            .map_err(|err| failed(&err))?
            .to_string_lossy()
            .replace('\\', "/"))
    };
    let mut files = Vec::new();
    for (entry, bytes) in &entries {
        if entry.file_type().is_file() {
            files.push(FolderFile {
                entry,
                name: name_of(entry)?,
                bytes: *bytes,
            });
        }
    }
    let shares = shares_of(&files);
    let compressed = std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .iter()
            .map(|share| scope.spawn(|| deflate_share(share.iter().map(|&index| &files[index]))))
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| Err("a zipping thread stopped".to_owned()))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .map_err(|err| failed(&err))?;
    let mut archives = compressed
        .into_iter()
        .map(|bytes| ZipArchive::new(Cursor::new(bytes)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| failed(&err))?;
    // Where each file's compressed entry is: its worker's archive, and its place in it.
    let mut places = vec![(0, 0); files.len()];
    for (worker, share) in shares.iter().enumerate() {
        for (place, &index) in share.iter().enumerate() {
            places[index] = (worker, place);
        }
    }
    let mut writer = ZipWriter::new(create_file(out).map_err(|err| failed(&err))?);
    let mut next_file = 0;
    for (entry, _) in &entries {
        if entry.file_type().is_dir() {
            let options = SimpleFileOptions::default().unix_permissions(mode_of(entry));
            writer
                .add_directory(format!("{}/", name_of(entry)?), options)
                .map_err(|err| failed(&err))?;
        } else if entry.file_type().is_file() {
            let (worker, place) = places[next_file];
            next_file += 1;
            let copied = archives[worker]
                .by_index_raw(place)
                .and_then(|file| writer.raw_copy_file(file));
            copied.map_err(|err| failed(&err))?;
        }
    }
    writer.finish().map_err(|err| failed(&err))?;
    Ok(())
}

/// The files split over the cores, largest first to the least loaded, so one large file does not
/// leave the other workers idle; each share lists its files in name order.
fn shares_of(files: &[FolderFile<'_>]) -> Vec<Vec<usize>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, files.len().max(1));
    let mut by_size: Vec<usize> = (0..files.len()).collect();
    by_size.sort_by_key(|&index| std::cmp::Reverse(files[index].bytes));
    let mut shares = vec![Vec::new(); workers];
    let mut loads = vec![0u64; workers];
    for index in by_size {
        let lightest = (0..workers)
            .min_by_key(|&worker| loads[worker])
            .unwrap_or(0);
        loads[lightest] += files[index].bytes;
        shares[lightest].push(index);
    }
    for share in &mut shares {
        share.sort_unstable();
    }
    shares.retain(|share| !share.is_empty());
    shares
}

fn deflate_share<'a>(files: impl Iterator<Item = &'a FolderFile<'a>>) -> Result<Vec<u8>, String> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for file in files {
        let options = SimpleFileOptions::default().unix_permissions(mode_of(file.entry));
        writer
            .start_file(file.name.as_str(), options)
            .map_err(|err| err.to_string())?;
        let mut source = File::open(file.entry.path()).map_err(|err| err.to_string())?;
        std::io::copy(&mut source, &mut writer).map_err(|err| err.to_string())?;
    }
    Ok(writer.finish().map_err(|err| err.to_string())?.into_inner())
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
