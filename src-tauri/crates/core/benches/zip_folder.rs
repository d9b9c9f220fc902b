//! `make bench`: zipping a 200 MB folder of many files (source trees and a few binaries) with
//! Lambdesk against `zip -r -q`, alternating A B A B over five rounds each, as the median and range
//! of each and the ratio of the medians, with the sizes. Prints figures and writes
//! `target/bench/zip_folder.json`; asserts nothing but that both produced a zip.

#[path = "support/figures.rs"]
mod figures;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use figures::{Figure, Samples};
use lambdesk_core::package::zip_folder;

const ROUNDS: usize = 5;
const SOURCE_TREES: usize = 8;
const FILES_PER_TREE: usize = 2_500;
const SOURCE_FILE_BYTES: usize = 8 * 1024;
const BINARIES: usize = 4;
const BINARY_BYTES: usize = 10 * 1024 * 1024;

fn main() {
    let work = std::env::temp_dir().join(format!("lambdesk-zip-bench-{}", std::process::id()));
    let folder = work.join("function");
    let bytes = make_folder(&folder);
    println!(
        "zipping a folder of {} files, {:.0} MB, {ROUNDS} rounds each, alternating:",
        SOURCE_TREES * FILES_PER_TREE + BINARIES,
        bytes as f64 / 1e6
    );
    let ours = work.join("lambdesk.zip");
    let theirs = work.join("zip-cli.zip");
    let mut lambdesk = Samples::default();
    let mut zip_cli = Samples::default();
    for _ in 0..ROUNDS {
        let _ = std::fs::remove_file(&ours);
        let began = Instant::now();
        zip_folder(&folder, &ours).expect("Lambdesk zips the folder");
        lambdesk.push_ms(began.elapsed());

        let _ = std::fs::remove_file(&theirs);
        let began = Instant::now();
        let status = Command::new("zip")
            .args(["-r", "-q"])
            .arg(&theirs)
            .arg(".")
            .current_dir(&folder)
            .status()
            .expect("the zip command (Debian's zip package) runs");
        zip_cli.push_ms(began.elapsed());
        assert!(status.success(), "zip -r -q failed");
    }
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |meta| meta.len());
    let (ours_size, theirs_size) = (size(&ours), size(&theirs));
    println!("  Lambdesk:  {}, {ours_size} bytes", lambdesk.spread("ms"));
    println!("  zip -r -q: {}, {theirs_size} bytes", zip_cli.spread("ms"));
    let mut our_sizes = Samples::default();
    our_sizes.push(ours_size as f64);
    let mut their_sizes = Samples::default();
    their_sizes.push(theirs_size as f64);
    let files = SOURCE_TREES * FILES_PER_TREE + BINARIES;
    let folder_label = format!(
        "Zipping a {:.0} MB folder of {},{:03} files",
        bytes as f64 / 1e6,
        files / 1000,
        files % 1000
    );
    let time_label = format!("{folder_label} (time)");
    let size_label = format!("{folder_label} (size; the same every run)");
    let time = Figure {
        name: &time_label,
        unit: "ms",
        lambdesk: &lambdesk,
        baseline_name: "`zip -r -q`",
        baseline: &zip_cli,
        goal: Some(0.50),
    };
    let bytes = Figure {
        name: &size_label,
        unit: "bytes",
        lambdesk: &our_sizes,
        baseline_name: "`zip -r -q`",
        baseline: &their_sizes,
        goal: Some(1.0),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "  Lambdesk takes {:.2}x zip's time (goal <= 0.50x) at {:.3}x its size (goal <= 1.000x), on {cores} cores",
        time.ratio(),
        bytes.ratio(),
    );
    let notes = [format!(
        "Lambdesk deflates the files on all {cores} cores, each worker into an archive of its own in memory, then copies the compressed entries into the zip in name order; `zip` deflates one file at a time."
    )];
    figures::write("zip_folder", &[time, bytes], &notes);
    std::fs::remove_dir_all(&work).unwrap();
}

/// Source trees of code-like text that deflate well, and binaries of noise that do not; made from
/// a fixed seed, so every run zips the same bytes.
fn make_folder(folder: &Path) -> u64 {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const WORDS: [&str; 16] = [
        "def", "return", "import", "event", "context", "handler", "self", "value", "for", "in",
        "if", "else", "None", "True", "print", "json",
    ];
    let mut total = 0;
    for tree in 0..SOURCE_TREES {
        for file in 0..FILES_PER_TREE {
            let dir = folder.join(format!("tree{tree}/pkg{}", file % 50));
            std::fs::create_dir_all(&dir).unwrap();
            let mut text = String::with_capacity(SOURCE_FILE_BYTES);
            while text.len() < SOURCE_FILE_BYTES {
                let word = WORDS[usize::try_from(next() % 16).unwrap()];
                text.push_str(word);
                text.push(if next() % 8 == 0 { '\n' } else { ' ' });
            }
            std::fs::write(dir.join(format!("module_{file}.py")), &text).unwrap();
            total += text.len() as u64;
        }
    }
    let binaries = folder.join("bin");
    std::fs::create_dir_all(&binaries).unwrap();
    for binary in 0..BINARIES {
        let noise: Vec<u8> = (0..BINARY_BYTES / 8)
            .flat_map(|_| next().to_le_bytes())
            .collect();
        std::fs::write(binaries.join(format!("lib{binary}.so")), &noise).unwrap();
        total += noise.len() as u64;
    }
    total
}
