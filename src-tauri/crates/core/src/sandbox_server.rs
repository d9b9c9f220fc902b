//! The Local sandbox the app starts itself, so an installed Lambdesk works with no repository
//! beside it: the pinned moto is installed once into a virtualenv in the app's data folder, from the
//! Python already on the machine, and `sandbox_server.py` (built into the binary, the same file the
//! repository's scripts run) serves it on a free loopback port until the app lets it go.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use ts_rs::TS;

use crate::error::{AppError, ErrorKind};

/// The sandbox's Python requirements, pinned: the file `make` installs into the repository's
/// virtualenv.
pub const REQUIREMENTS: &str = include_str!("../../../../scripts/sandbox-requirements.txt");
const SERVER_SCRIPT: &str = include_str!("../../../../scripts/sandbox_server.py");
/// moto's oldest supported Python.
const OLDEST_PYTHON: (u32, u32) = (3, 9);
/// How many distributions pip collects for `moto[server]`, for the progress bar; a newer pip that
/// collects more only holds the bar near its end a little longer.
const EXPECTED_PACKAGES: usize = 60;
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const INSTALLED_STAMP: &str = ".lambdesk-installed";

/// Where starting the sandbox has got to, for the page's progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxProgress {
    /// What is happening, in the user's terms: "Installing moto (12 of about 60 packages)".
    pub step: String,
    /// From 0 to 1.
    pub fraction: f64,
}

/// Where the sandbox lives on disk: its virtualenv, the server script and the server's log.
#[derive(Debug, Clone)]
pub struct SandboxHome {
    dir: PathBuf,
}

impl SandboxHome {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("sandbox"),
        }
    }

    fn venv(&self) -> PathBuf {
        self.dir.join("venv")
    }

    fn venv_python(&self) -> PathBuf {
        self.venv().join("bin").join("python")
    }

    pub fn log(&self) -> PathBuf {
        self.dir.join("moto.log")
    }

    /// Whether the pinned requirements were installed to the end (a stamp written last says so, so
    /// an install cut short is started over, never used) with a Python that is still there.
    fn installed(&self) -> bool {
        self.venv_python().exists()
            && std::fs::read_to_string(self.venv().join(INSTALLED_STAMP))
                .is_ok_and(|stamp| stamp == REQUIREMENTS)
    }

    /// Installs moto when needed, then starts the server on a free loopback port and waits until it
    /// answers. `python` is the machine's Python; `None` when none was found.
    pub async fn start(
        &self,
        python: Option<&Path>,
        on_progress: &(dyn Fn(SandboxProgress) + Sync),
    ) -> Result<RunningSandbox, AppError> {
        if !self.installed() {
            let python = python.ok_or_else(python_missing)?;
            self.install(python, on_progress).await?;
        }
        on_progress(SandboxProgress {
            step: "Starting the sandbox".to_owned(),
            fraction: 0.95,
        });
        let running = self.serve().await?;
        on_progress(SandboxProgress {
            step: "The sandbox is running".to_owned(),
            fraction: 1.0,
        });
        Ok(running)
    }

    async fn install(
        &self,
        python: &Path,
        on_progress: &(dyn Fn(SandboxProgress) + Sync),
    ) -> Result<(), AppError> {
        on_progress(SandboxProgress {
            step: "Checking Python".to_owned(),
            fraction: 0.0,
        });
        check_version(python).await?;
        let venv = self.venv();
        if venv.exists() {
            std::fs::remove_dir_all(&venv).map_err(|err| self.unwritable(&err))?;
        }
        std::fs::create_dir_all(&self.dir).map_err(|err| self.unwritable(&err))?;
        on_progress(SandboxProgress {
            step: "Creating a Python environment".to_owned(),
            fraction: 0.02,
        });
        let created = Command::new(python)
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .await
            .map_err(|err| python_failed(python, &err.to_string()))?;
        if !created.status.success() {
            return Err(venv_failed(&String::from_utf8_lossy(&created.stderr)));
        }
        let requirements = self.dir.join("requirements.txt");
        std::fs::write(&requirements, REQUIREMENTS).map_err(|err| self.unwritable(&err))?;
        let mut pip = Command::new(self.venv_python())
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
                "-r",
            ])
            .arg(&requirements)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| python_failed(python, &err.to_string()))?;
        let errors = tokio::spawn(last_lines(pip.stderr.take()));
        if let Some(stdout) = pip.stdout.take() {
            let mut lines = BufReader::new(stdout).lines();
            let mut collected = 0;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(step) = pip_step(&line, &mut collected) {
                    on_progress(step);
                }
            }
        }
        let status = pip
            .wait()
            .await
            .map_err(|err| python_failed(python, &err.to_string()))?;
        if !status.success() {
            return Err(pip_failed(&errors.await.unwrap_or_default()));
        }
        std::fs::write(venv.join(INSTALLED_STAMP), REQUIREMENTS)
            .map_err(|err| self.unwritable(&err))
    }

    async fn serve(&self) -> Result<RunningSandbox, AppError> {
        std::fs::create_dir_all(&self.dir).map_err(|err| self.unwritable(&err))?;
        let script = self.dir.join("sandbox_server.py");
        std::fs::write(&script, SERVER_SCRIPT).map_err(|err| self.unwritable(&err))?;
        let log = std::fs::File::create(self.log()).map_err(|err| self.unwritable(&err))?;
        let port = free_port().map_err(|err| {
            AppError::new(
                ErrorKind::Unknown,
                format!("Lambdesk found no free loopback port for the sandbox: {err}"),
            )
        })?;
        let log_copy = log.try_clone().map_err(|err| self.unwritable(&err))?;
        let mut child = Command::new(self.venv_python())
            .arg(&script)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("LAMBDESK_SANDBOX_EXIT_ON_EOF", "1")
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_copy)
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| self.did_not_start(&err.to_string()))?;
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
        while !answers(&url).await {
            let exited = child.try_wait().ok().flatten();
            if exited.is_some() || tokio::time::Instant::now() > deadline {
                let _ = child.kill().await;
                return Err(self.did_not_start(&log_tail(&self.log())));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let running = RunningSandbox {
            url,
            lifeline: child.stdin.take(),
            child,
        };
        // Lambda must run without Docker, and the switch must come before any function exists.
        if let Err(err) = running.configure().await {
            running.stop().await;
            return Err(self.did_not_start(&err.to_string()));
        }
        tracing::info!(url = %running.url, "the app's own sandbox is running");
        Ok(running)
    }

    fn unwritable(&self, err: &std::io::Error) -> AppError {
        AppError::new(
            ErrorKind::Unknown,
            format!(
                "Lambdesk could not write the sandbox's files in {}: {err}",
                self.dir.display()
            ),
        )
        .with_hint("Check that the data folder is writable and the disk is not full.")
    }

    fn did_not_start(&self, why: &str) -> AppError {
        AppError::new(
            ErrorKind::Unknown,
            format!("The sandbox did not start: {}", why.trim()),
        )
        .with_hint(format!(
            "Its log is {}. Press Start the sandbox to try again.",
            self.log().display()
        ))
    }
}

/// A sandbox server the app started: its URL, and the process, which is killed when this is
/// stopped or dropped. `lifeline` is the server's standard input: it exits when that closes, so
/// it ends with the app even when the app is killed and never gets to stop it.
#[derive(Debug)]
pub struct RunningSandbox {
    url: String,
    child: Child,
    lifeline: Option<ChildStdin>,
}

impl RunningSandbox {
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn stop(mut self) {
        drop(self.lifeline.take());
        if let Err(error) = self.child.kill().await {
            tracing::warn!(%error, "the app's own sandbox could not be stopped");
        }
    }

    async fn configure(&self) -> Result<(), reqwest::Error> {
        reqwest::Client::new()
            .post(format!("{}/moto-api/config", self.url))
            .header("Content-Type", "application/json")
            .body(r#"{"lambda": {"use_docker": false}}"#)
            .timeout(Duration::from_secs(10))
            .send()
            .await?
            .error_for_status()
            .map(drop)
    }
}

/// Whether anything answers HTTP at `url`. It asks for moto's configuration, which is small:
/// moto's data page lists every resource, IAM's managed policies among them, and takes seconds
/// once they are loaded. Any answer counts, so another emulator there is left alone too.
pub async fn answers(url: &str) -> bool {
    reqwest::Client::new()
        .get(format!("{}/moto-api/config", url.trim_end_matches('/')))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_ok()
}

/// The machine's Python 3, as the user's PATH finds it.
pub fn find_python() -> Option<PathBuf> {
    ["python3", "python"]
        .into_iter()
        .find_map(|name| which::which(name).ok())
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port())
}

async fn check_version(python: &Path) -> Result<(), AppError> {
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .await
        .map_err(|err| python_failed(python, &err.to_string()))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    let version = printed.trim();
    match parse_version(version) {
        Some(found) if found >= OLDEST_PYTHON => Ok(()),
        _ => Err(AppError::new(
            ErrorKind::Validation,
            format!(
                "The sandbox needs Python {}.{} or newer, and {} is {}.",
                OLDEST_PYTHON.0,
                OLDEST_PYTHON.1,
                python.display(),
                if version.is_empty() {
                    "not Python 3"
                } else {
                    version
                }
            ),
        )
        .with_hint(INSTALL_PYTHON_HINT)),
    }
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

const INSTALL_PYTHON_HINT: &str = "Install Python 3 with its venv module (on Debian or Ubuntu: \
     sudo apt install python3 python3-venv), then press Start the sandbox again.";

fn python_missing() -> AppError {
    AppError::new(
        ErrorKind::NotFound,
        "The sandbox runs on Python, and Lambdesk found no python3 on the PATH.",
    )
    .with_hint(INSTALL_PYTHON_HINT)
}

fn python_failed(python: &Path, why: &str) -> AppError {
    AppError::new(
        ErrorKind::Unknown,
        format!("Lambdesk could not run {}: {why}", python.display()),
    )
    .with_hint(INSTALL_PYTHON_HINT)
}

/// Debian's Python leaves venv and pip out of the base package; their absence is the common reason.
fn venv_failed(stderr: &str) -> AppError {
    let missing = stderr.contains("ensurepip") || stderr.contains("No module named venv");
    let message = if missing {
        "Python's venv module (with pip) is not installed, and the sandbox is installed with it."
            .to_owned()
    } else {
        format!(
            "Python could not create the sandbox's environment: {}",
            stderr.trim()
        )
    };
    AppError::new(ErrorKind::NotFound, message).with_hint(INSTALL_PYTHON_HINT)
}

fn pip_failed(last_lines: &str) -> AppError {
    AppError::new(
        ErrorKind::Network,
        format!("pip could not install moto: {}", last_lines.trim()),
    )
    .with_hint(
        "pip downloads moto from PyPI: check the internet connection, proxy or pip settings, then \
         press Start the sandbox again.",
    )
}

/// The progress a line of pip's output shows: each distribution collected moves the bar, and the
/// install itself takes it near the end.
fn pip_step(line: &str, collected: &mut usize) -> Option<SandboxProgress> {
    if let Some(rest) = line.strip_prefix("Collecting ") {
        *collected += 1;
        let name = rest.split([' ', '=', '<', '>', '[', '!', ';']).next()?;
        let done = (*collected).min(EXPECTED_PACKAGES) as f64 / EXPECTED_PACKAGES as f64;
        return Some(SandboxProgress {
            step: format!(
                "Downloading {name} ({} of about {EXPECTED_PACKAGES} packages)",
                *collected
            ),
            fraction: 0.05 + 0.7 * done,
        });
    }
    line.starts_with("Installing collected packages")
        .then(|| SandboxProgress {
            step: format!("Installing {} packages", *collected),
            fraction: 0.8,
        })
}

/// The last lines a process wrote, for an error message: pip ends with the reason it failed.
async fn last_lines(stream: Option<impl AsyncRead + Unpin>) -> String {
    let Some(stream) = stream else {
        return String::new();
    };
    let mut kept = std::collections::VecDeque::new();
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if kept.len() == 3 {
            kept.pop_front();
        }
        kept.push_back(line);
    }
    Vec::from(kept).join(" ")
}

fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.len().saturating_sub(3);
    match lines[last..].join(" ") {
        tail if tail.is_empty() => "it stopped without a word".to_owned(),
        tail => tail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_lines_move_the_bar_and_stop_short_of_the_end() {
        let mut collected = 0;
        let first = pip_step(
            "Collecting moto[server]==5.2.5 (from -r r.txt (line 2))",
            &mut collected,
        )
        .unwrap();
        assert_eq!(first.step, "Downloading moto (1 of about 60 packages)");
        let second = pip_step("Collecting boto3>=1.9.201", &mut collected).unwrap();
        assert!(second.fraction > first.fraction);
        assert_eq!(
            pip_step(
                "  Downloading boto3-1.35.0-py3-none-any.whl",
                &mut collected
            ),
            None
        );
        let installing =
            pip_step("Installing collected packages: six, moto", &mut collected).unwrap();
        assert_eq!(installing.step, "Installing 2 packages");
        for _ in 0..100 {
            let step = pip_step("Collecting more", &mut collected).unwrap();
            assert!(step.fraction <= 0.75, "{step:?}");
        }
    }

    #[test]
    fn a_python_too_old_or_not_python_is_named() {
        assert_eq!(parse_version("3.11"), Some((3, 11)));
        assert_eq!(parse_version("2.7"), Some((2, 7)));
        assert!(parse_version("2.7").unwrap() < OLDEST_PYTHON);
        assert_eq!(parse_version(""), None);
    }

    #[test]
    fn a_missing_venv_module_says_what_to_install() {
        let error = venv_failed(
            "The virtual environment was not created successfully because ensurepip is not\n\
             available.  On Debian/Ubuntu systems, you need to install the python3-venv package",
        );
        assert!(error.message.contains("venv module"), "{error:?}");
        assert!(error.hint.unwrap().contains("python3-venv"));
    }

    #[test]
    fn the_built_in_requirements_pin_moto() {
        assert!(
            REQUIREMENTS
                .lines()
                .any(|line| line.starts_with("moto[server]==")),
            "{REQUIREMENTS}"
        );
    }
}
