//! How a function's runtime starts on this machine: the interpreter it needs (found once, with its
//! version), the bootstrap Lambdesk ships for it, or the package's own `bootstrap`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;

use tokio::process::Command;

use crate::error::{AppError, ErrorKind};

const PYTHON_BOOTSTRAP: &str = include_str!("bootstrap/python.py");
const NODE_BOOTSTRAP: &str = include_str!("bootstrap/node.mjs");

/// The language a runtime name stands for, with the version it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language {
    /// `python3.12` asks for 3.12.
    Python { version: String },
    /// `nodejs20.x` asks for major 20.
    Node { major: String },
    /// `provided.al2023`, `provided.al2`: the package brings its own `bootstrap`.
    Provided,
}

impl Language {
    pub fn of(runtime: &str) -> Result<Self, AppError> {
        if let Some(version) = runtime.strip_prefix("python") {
            return Ok(Self::Python {
                version: version.to_owned(),
            });
        }
        if let Some(major) = runtime
            .strip_prefix("nodejs")
            .and_then(|rest| rest.strip_suffix(".x"))
        {
            return Ok(Self::Node {
                major: major.to_owned(),
            });
        }
        if runtime == "provided" || runtime.starts_with("provided.") {
            return Ok(Self::Provided);
        }
        Err(AppError::new(
            ErrorKind::Validation,
            format!(
                "The local Lambda runs Python, Node.js and provided (custom runtime) functions; \
                 {runtime} functions run only in AWS."
            ),
        )
        .with_hint("Test this function in an AWS account, or pick a Python or Node.js runtime.")
        .with_field("runtime"))
    }
}

/// An interpreter found on this machine.
#[derive(Debug, Clone)]
struct Interpreter {
    path: PathBuf,
    /// `3.11` for Python, `20` for Node.js.
    version: String,
}

/// What starts a function's runtime: the program, its arguments, and a notice to show once when
/// the machine's interpreter is not the version the function asks for.
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<PathBuf>,
    pub notice: Option<String>,
}

impl Launch {
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command
    }
}

/// Finds interpreters once per name, and writes the bootstraps into the local Lambda's folder.
pub struct Launcher {
    runtime_dir: PathBuf,
    /// What each list of names resolved to, `None` when none runs (found again after a restart).
    interpreters: Mutex<HashMap<String, Option<Interpreter>>>,
}

impl Launcher {
    pub fn new(runtime_dir: PathBuf) -> Self {
        Self {
            runtime_dir,
            interpreters: Mutex::new(HashMap::new()),
        }
    }

    pub fn runtime_dir(&self) -> &Path {
        &self.runtime_dir
    }

    pub async fn launch(
        &self,
        runtime: &str,
        handler: &str,
        task_root: &Path,
    ) -> Result<Launch, AppError> {
        match Language::of(runtime)? {
            Language::Python { version } => {
                let names = [format!("python{version}"), "python3".to_owned()];
                let interpreter = self
                    .interpreter(
                        &names,
                        &["-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"],
                    )
                    .await
                    .ok_or_else(|| missing("Python", &version, runtime, &names))?;
                let bootstrap = self.bootstrap("python.py", PYTHON_BOOTSTRAP)?;
                Ok(Launch {
                    notice: mismatch("Python", &version, &interpreter, runtime),
                    program: interpreter.path,
                    args: vec![PathBuf::from("-u"), bootstrap],
                })
            }
            Language::Node { major } => {
                let names = ["node".to_owned()];
                let interpreter = self
                    .interpreter(
                        &names,
                        &[
                            "-p",
                            "process.versions.node.split('.')[0] + '\\n' + process.execPath",
                        ],
                    )
                    .await
                    .ok_or_else(|| missing("Node.js", &major, runtime, &names))?;
                let bootstrap = self.bootstrap("node.mjs", NODE_BOOTSTRAP)?;
                Ok(Launch {
                    notice: mismatch("Node.js", &major, &interpreter, runtime),
                    program: interpreter.path,
                    args: vec![bootstrap],
                })
            }
            Language::Provided => Ok(Launch {
                program: own_bootstrap(task_root, runtime, handler)?,
                args: Vec::new(),
                notice: None,
            }),
        }
    }

    /// The first of `names` on PATH that runs, found once per list of names (a probe of a
    /// wrapper that fails, like a pyenv shim for a version not installed, costs a tenth of a
    /// second). `probe` prints its version and the path of the real program, which is what runs
    /// the function: a wrapper on PATH is then not run again on every cold start, nor needs the
    /// user's environment.
    async fn interpreter(&self, names: &[String], probe: &[&str]) -> Option<Interpreter> {
        let key = names.join(" ");
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        // Every candidate is probed at once (a pyenv shim takes a tenth of a second even to fail)
        // and the first in order that runs wins; the others are killed when dropped.
        let probes: Vec<_> = names
            .iter()
            .filter_map(|name| which::which(name).ok())
            .filter_map(|path| {
                Command::new(path)
                    .args(probe)
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .kill_on_drop(true)
                    .spawn()
                    .ok()
            })
            .collect();
        let mut found = None;
        for child in probes {
            let Ok(output) = child.wait_with_output().await else {
                continue;
            };
            if !output.status.success() {
                continue;
            }
            let printed = String::from_utf8_lossy(&output.stdout).into_owned();
            let mut lines = printed.lines().map(str::trim);
            if let (Some(version), Some(program)) = (lines.next(), lines.next()) {
                found = Some(Interpreter {
                    path: PathBuf::from(program),
                    version: version.to_owned(),
                });
                break;
            }
        }
        self.lock().insert(key, found.clone());
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Interpreter>>> {
        self.interpreters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes a bootstrap when it is missing or differs from the one built in.
    fn bootstrap(&self, name: &str, text: &str) -> Result<PathBuf, AppError> {
        let path = self.runtime_dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::create_dir_all(&self.runtime_dir)
                .and_then(|()| std::fs::write(&path, text))
                .map_err(|err| {
                    AppError::new(
                        ErrorKind::Unknown,
                        format!(
                            "Lambdesk could not write its {name} runtime to {}: {err}",
                            self.runtime_dir.display()
                        ),
                    )
                })?;
        }
        Ok(path)
    }
}

fn missing(language: &str, version: &str, runtime: &str, names: &[String]) -> AppError {
    AppError::new(
        ErrorKind::NotFound,
        format!(
            "{language} is not installed on this machine ({} not found on PATH), so the local \
             Lambda cannot run {runtime} functions.",
            names.join(" or ")
        ),
    )
    .with_hint(format!(
        "Install {language} {version} (or any {language}), make sure it is on PATH, and restart \
         Lambdesk."
    ))
}

fn mismatch(
    language: &str,
    wanted: &str,
    interpreter: &Interpreter,
    runtime: &str,
) -> Option<String> {
    (interpreter.version != wanted).then(|| {
        format!(
            "This function's runtime is {runtime}, but this machine has {language} {} ({}): the \
             local Lambda runs it with that, so behaviour may differ from AWS.",
            interpreter.version,
            interpreter.path.display()
        )
    })
}

/// The package's `bootstrap`, which a provided runtime runs as it is.
fn own_bootstrap(task_root: &Path, runtime: &str, handler: &str) -> Result<PathBuf, AppError> {
    let path = task_root.join("bootstrap");
    let metadata = std::fs::metadata(&path).map_err(|_| {
        AppError::new(
            ErrorKind::Validation,
            format!(
                "The package has no file named bootstrap at its root, which a {runtime} function \
                 runs (handler {handler})."
            ),
        )
        .with_hint(
            "Build the function for Lambda (for Rust, `cargo lambda build`; for Go, name the \
             binary bootstrap) and zip bootstrap at the top of the package.",
        )
        .with_field("package")
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o111 == 0 {
            return Err(AppError::new(
                ErrorKind::Validation,
                "The package's bootstrap is not executable, so the runtime cannot start it.",
            )
            .with_hint(
                "Run `chmod +x bootstrap` before zipping, and zip with a tool that keeps the mode \
                 (Lambdesk's folder upload does).",
            )
            .with_field("package"));
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_names_map_to_languages() {
        assert_eq!(
            Language::of("python3.12").unwrap(),
            Language::Python {
                version: "3.12".into()
            }
        );
        assert_eq!(
            Language::of("nodejs20.x").unwrap(),
            Language::Node { major: "20".into() }
        );
        assert_eq!(Language::of("provided.al2023").unwrap(), Language::Provided);
        let refused = Language::of("java21").unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("runtime"));
        assert!(refused.message.contains("java21"), "{}", refused.message);
    }
}
