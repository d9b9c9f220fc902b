//! One running execution environment: the runtime process, its Runtime API, and the lines it
//! writes, kept warm between invocations as Lambda keeps a sandbox.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::sync::mpsc;

use super::launch::Launch;
use super::runtime_api::RuntimeApi;
use super::{LocalFunction, LogLine};
use crate::error::{AppError, ErrorKind};

/// CloudWatch Logs refuses a larger event; a longer line is cut there.
const MAX_LINE_BYTES: usize = 256 * 1024;
/// What the runtime process may read from this machine's environment; everything else it sees is
/// what Lambda would set.
const PASSED_THROUGH: &[&str] = &["PATH", "SYSTEMROOT", "LANG"];
/// The keys of the sandbox, which checks none; a function's own AWS calls reach the sandbox.
const SANDBOX_KEY: &str = "testing";

pub struct Instance {
    pub function: LocalFunction,
    pub api: RuntimeApi,
    pub log_stream: String,
    pub spawned: Instant,
    /// Set when the runtime first asked for work: its init is done.
    pub init_ms: Option<f64>,
    pub last_used: Instant,
    /// How many invocations it was handed; the first reports the Init Duration.
    pub invocations: u32,
    pub child: Child,
    lines: mpsc::UnboundedReceiver<LogLine>,
}

impl Instance {
    pub async fn start(
        function: &LocalFunction,
        launch: &Launch,
        task_root: &Path,
        runtime_dir: &Path,
    ) -> Result<Self, AppError> {
        let api = RuntimeApi::start().await?;
        let log_stream = log_stream_name(&function.version);
        let mut command = launch.command();
        command
            .env_clear()
            .envs(
                PASSED_THROUGH.iter().filter_map(|name| {
                    std::env::var_os(name).map(|value| (name.to_string(), value))
                }),
            )
            .envs(&function.environment)
            .envs(lambda_environment(
                function,
                task_root,
                runtime_dir,
                &api,
                &log_stream,
            ))
            .current_dir(task_root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // Its own process group, so a timeout kills whatever the function started too.
        #[cfg(unix)]
        command.process_group(0);
        let spawned = Instant::now();
        let mut child = command.spawn().map_err(|err| {
            AppError::new(
                ErrorKind::Unknown,
                format!(
                    "The local Lambda could not start {} for {}: {err}",
                    launch.program.display(),
                    function.name
                ),
            )
            .with_hint(if err.raw_os_error() == Some(8) {
                "The bootstrap was built for another kind of machine: build it for this \
                 machine's architecture to run it locally."
            } else {
                "Check that the program exists and may be run."
            })
        })?;
        let (sender, lines) = mpsc::unbounded_channel();
        if let Some(stdout) = child.stdout.take() {
            tokio::spawn(forward_lines(stdout, sender.clone()));
        }
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(forward_lines(stderr, sender));
        }
        Ok(Self {
            function: function.clone(),
            api,
            log_stream,
            spawned,
            init_ms: None,
            last_used: Instant::now(),
            invocations: 0,
            child,
            lines,
        })
    }

    /// The lines written so far.
    pub fn take_lines(&mut self) -> Vec<LogLine> {
        let mut taken = Vec::new();
        while let Ok(line) = self.lines.try_recv() {
            taken.push(line);
        }
        taken
    }

    /// The lines written until the process has been quiet for `quiet`: a runtime writes its
    /// last lines before it answers, but they may reach us just after the answer does.
    pub async fn drain_lines(&mut self, quiet: std::time::Duration) -> Vec<LogLine> {
        let mut taken = self.take_lines();
        while let Ok(Some(line)) = tokio::time::timeout(quiet, self.lines.recv()).await {
            taken.push(line);
        }
        taken
    }

    pub fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// The most memory the process has held, in MB, as the kernel counts it.
    pub fn peak_memory_mb(&self) -> Option<u64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let kilobytes: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kilobytes.div_ceil(1024))
    }

    /// Kills the process and everything it started, and waits for it.
    pub async fn stop(mut self) {
        self.kill_group();
        let _ = self.child.kill().await;
    }

    fn kill_group(&self) {
        #[cfg(unix)]
        if let Some(pid) = self.child.id().and_then(|pid| i32::try_from(pid).ok()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill_group();
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The environment Lambda gives a function, with the function's own variables beneath it.
fn lambda_environment(
    function: &LocalFunction,
    task_root: &Path,
    runtime_dir: &Path,
    api: &RuntimeApi,
    log_stream: &str,
) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let mut set = |name: &str, value: String| {
        env.insert(name.to_owned(), value);
    };
    set("AWS_LAMBDA_FUNCTION_NAME", function.name.clone());
    set("AWS_LAMBDA_FUNCTION_VERSION", function.version.clone());
    set(
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        function.memory_mb.to_string(),
    );
    set("AWS_REGION", function.region.clone());
    set("AWS_DEFAULT_REGION", function.region.clone());
    set("_HANDLER", function.handler.clone());
    set("LAMBDA_TASK_ROOT", task_root.display().to_string());
    set("LAMBDA_RUNTIME_DIR", runtime_dir.display().to_string());
    set("AWS_LAMBDA_RUNTIME_API", api.address.to_string());
    set("AWS_LAMBDA_LOG_GROUP_NAME", function.log_group());
    set("AWS_LAMBDA_LOG_STREAM_NAME", log_stream.to_owned());
    set(
        "AWS_EXECUTION_ENV",
        format!("AWS_Lambda_{}", function.runtime),
    );
    set("TZ", ":UTC".to_owned());
    if let Some(endpoint) = &function.aws_endpoint {
        set("AWS_ENDPOINT_URL", endpoint.clone());
        set("AWS_ACCESS_KEY_ID", SANDBOX_KEY.to_owned());
        set("AWS_SECRET_ACCESS_KEY", SANDBOX_KEY.to_owned());
    }
    env
}

/// A stream named as Lambda names it: `2026/11/25/[$LATEST]` and 32 hex digits, one per
/// execution environment.
fn log_stream_name(version: &str) -> String {
    format!(
        "{}/[{version}]{}",
        crate::runtimes::today().replace('-', "/"),
        uuid::Uuid::new_v4().simple()
    )
}

async fn forward_lines(pipe: impl AsyncRead + Unpin, lines: mpsc::UnboundedSender<LogLine>) {
    let mut reader = BufReader::new(pipe);
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if buffer.last() == Some(&b'\n') {
                    buffer.pop();
                }
                buffer.truncate(MAX_LINE_BYTES);
                let line = LogLine {
                    timestamp_ms: now_ms(),
                    message: String::from_utf8_lossy(&buffer).into_owned(),
                };
                if lines.send(line).is_err() {
                    return;
                }
            }
        }
    }
}
