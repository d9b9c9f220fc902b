//! The layout DESIGN.md asks for: `plan/` is only the mechanism and names no service, the services
//! (`iam`, `s3`, `lambda`, `logs`, `metrics`) never import a wizard (`create`, `cleanup`), so there
//! is no import circle between them, and the local Lambda knows no AWS service: `lambda` feeds it.

use std::path::{Path, PathBuf};

fn sources_under(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut files = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "no sources under src/{folder}");
    files
}

fn uses(file: &Path, module: &str) -> bool {
    let text = std::fs::read_to_string(file).unwrap();
    let needle = format!("crate::{module}");
    text.lines().any(|line| {
        let line = line.trim_start();
        !line.starts_with("//") && line.contains(&needle)
            || line.starts_with("use crate::{") && line.contains(&format!(" {module}"))
    })
}

#[test]
fn plan_names_no_service() {
    for file in sources_under("plan") {
        for module in [
            "iam", "s3", "lambda", "logs", "metrics", "local", "create", "cleanup",
        ] {
            assert!(
                !uses(&file, module),
                "{} uses crate::{module}",
                file.display()
            );
        }
    }
}

#[test]
fn services_never_import_a_wizard() {
    for service in ["iam", "s3", "lambda", "logs", "metrics"] {
        for file in sources_under(service) {
            for wizard in ["create", "configure", "cleanup"] {
                assert!(
                    !uses(&file, wizard),
                    "{} uses crate::{wizard}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_local_lambda_knows_no_aws_service() {
    for file in sources_under("local") {
        for module in [
            "aws",
            "iam",
            "s3",
            "lambda",
            "logs",
            "metrics",
            "create",
            "configure",
            "cleanup",
        ] {
            assert!(
                !uses(&file, module),
                "{} uses crate::{module}",
                file.display()
            );
        }
    }
}
