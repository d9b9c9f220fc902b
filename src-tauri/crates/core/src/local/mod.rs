//! The local Lambda: runs a function's code on this machine through the Lambda Runtime API, with
//! no Docker, and behaves as Lambda does (environment, timeout, warm reuse, START/END/REPORT).
//! It knows nothing of AWS: `lambda::invoke` and `lambda::run_locally` feed it a function's
//! configuration and code, and write what it returns where AWS would.

pub mod gateway;
mod instance;
mod launch;
mod packages;
mod runtime_api;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use self::instance::{Instance, now_ms};
use self::launch::Launcher;
use self::runtime_api::{Invocation, RuntimeEvent};
use crate::error::{AppError, ErrorKind};

pub use self::packages::{CodeCache, code_sha256};
pub use self::runtime_api::MAX_RESPONSE_BYTES;

/// Lambda's limit on an init phase; a runtime still starting after it is stopped.
const INIT_LIMIT: Duration = Duration::from_secs(10);
/// How long a runtime may take to ask for its next invocation after answering: the sign that it
/// has written all of its lines.
const SETTLE_LIMIT: Duration = Duration::from_millis(200);
/// A pipe's last lines reach us soon after the runtime's answer; this much silence means done.
const QUIET: Duration = Duration::from_millis(5);
/// A warm environment unused this long is stopped, as Lambda recycles idle ones.
const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

/// What the local Lambda needs to know of a function: its configuration as Lambda reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFunction {
    pub name: String,
    pub arn: String,
    /// `$LATEST`, or a published version's number.
    pub version: String,
    pub region: String,
    pub runtime: String,
    pub handler: String,
    pub memory_mb: i32,
    pub timeout_seconds: i32,
    pub environment: BTreeMap<String, String>,
    pub code_sha256: String,
    /// Where the function's own AWS calls go: the sandbox's URL on the Local sandbox, so its SDK
    /// reaches the sandbox too; `None` elsewhere.
    pub aws_endpoint: Option<String>,
}

impl LocalFunction {
    pub fn log_group(&self) -> String {
        format!("/aws/lambda/{}", self.name)
    }
}

/// One line of a function's log, as CloudWatch Logs stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub timestamp_ms: i64,
    pub message: String,
}

/// The figures of a REPORT line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub duration_ms: f64,
    #[ts(type = "number")]
    pub billed_duration_ms: u64,
    pub memory_size_mb: i32,
    /// `None` where the system does not say (only Linux is measured).
    #[ts(type = "number | null")]
    pub max_memory_used_mb: Option<u64>,
    /// Set on a cold start only.
    pub init_duration_ms: Option<f64>,
}

/// How an invocation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The handler's answer, JSON as the runtime posted it.
    Returned(Bytes),
    /// An error, as Lambda's Invoke returns it: a JSON body with `errorType` and `errorMessage`
    /// (and the runtime's stack trace), for a `FunctionError: Unhandled` response.
    Failed { error_type: String, body: Bytes },
}

/// What one local invocation did.
#[derive(Debug, Clone)]
pub struct LocalRun {
    pub request_id: String,
    pub outcome: Outcome,
    /// The lines of this invocation, from START to REPORT (with an init's lines before START).
    pub log: Vec<LogLine>,
    pub log_group: String,
    pub log_stream: String,
    pub report: Report,
    /// Said once per app session: the machine's interpreter differs from the function's runtime.
    pub notice: Option<String>,
}

impl LocalRun {
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed { .. })
    }

    /// The log as text, one line per event, as `LogType=Tail` shows it.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        for line in &self.log {
            text.push_str(&line.message);
            text.push('\n');
        }
        text
    }
}

/// Runs functions locally. Cheap to clone: clones share the warm environments.
#[derive(Clone)]
pub struct LocalLambda {
    inner: Arc<Inner>,
}

struct Inner {
    code: CodeCache,
    launcher: Launcher,
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Instance>>>>>,
    notices_given: Mutex<HashSet<String>>,
}

impl LocalLambda {
    /// The local Lambda keeping its code and runtimes under `data_dir/local`. Prunes the code
    /// cache once, at start.
    pub fn new(data_dir: &Path) -> Self {
        let code = CodeCache::in_data_dir(data_dir);
        let runtime_dir = data_dir.join("local").join("runtime");
        if let Err(error) = code.prune(std::time::SystemTime::now()) {
            tracing::warn!(%error, "could not prune the local Lambda's code cache");
        }
        Self {
            inner: Arc::new(Inner {
                code,
                launcher: Launcher::new(runtime_dir),
                slots: Mutex::new(HashMap::new()),
                notices_given: Mutex::new(HashSet::new()),
            }),
        }
    }

    pub fn code(&self) -> &CodeCache {
        &self.inner.code
    }

    /// Runs one invocation of the function with its code from the cache (by `CodeSha256`). One
    /// warm environment per function serves its invocations one at a time; new code or settings
    /// start a fresh one.
    pub async fn run(
        &self,
        function: &LocalFunction,
        payload: &[u8],
    ) -> Result<LocalRun, AppError> {
        crate::validate::invoke_payload(payload, false)?;
        // Lambda hands a handler `{}` when the caller sent no payload.
        let payload: &[u8] = if payload.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            payload
        };
        self.stop_idle().await;
        let task_root = self
            .inner
            .code
            .unpacked(&function.code_sha256)?
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::NotFound,
                    format!(
                        "The local Lambda has no copy of {}'s code (CodeSha256 {}).",
                        function.name, function.code_sha256
                    ),
                )
                .with_hint("Deploy the function's code from Lambdesk, then test it again.")
            })?;
        let slot = self.slot(&function.arn);
        let mut held = slot.lock().await;
        let reusable = held
            .as_mut()
            .is_some_and(|instance| instance.function == *function && !instance.has_exited());
        let mut notice = None;
        if !reusable {
            if let Some(old) = held.take() {
                old.stop().await;
            }
            let launch = self
                .inner
                .launcher
                .launch(&function.runtime, &function.handler, &task_root)
                .await?;
            notice = launch.notice.clone().filter(|text| self.first_time(text));
            *held = Some(
                Instance::start(
                    function,
                    &launch,
                    &task_root,
                    self.inner.launcher.runtime_dir(),
                )
                .await?,
            );
        }
        let Some(instance) = held.as_mut() else {
            unreachable!("the slot was filled above");
        };
        instance.last_used = Instant::now();
        let exchange = exchange(instance, function, Bytes::copy_from_slice(payload)).await;
        if exchange.keep_warm {
            instance.last_used = Instant::now();
        } else if let Some(spent) = held.take() {
            spent.stop().await;
        }
        Ok(LocalRun {
            notice,
            ..exchange.run
        })
    }

    /// Stops every warm environment, as closing the app does.
    pub async fn stop_all(&self) {
        let slots: Vec<_> = self.lock_slots().drain().map(|(_, slot)| slot).collect();
        for slot in slots {
            if let Some(instance) = slot.lock().await.take() {
                instance.stop().await;
            }
        }
    }

    async fn stop_idle(&self) {
        let slots: Vec<_> = self.lock_slots().values().cloned().collect();
        for slot in slots {
            let Ok(mut held) = slot.try_lock() else {
                continue;
            };
            if held
                .as_ref()
                .is_some_and(|instance| instance.last_used.elapsed() > IDLE_LIMIT)
                && let Some(idle) = held.take()
            {
                idle.stop().await;
            }
        }
    }

    fn slot(&self, arn: &str) -> Arc<tokio::sync::Mutex<Option<Instance>>> {
        self.lock_slots().entry(arn.to_owned()).or_default().clone()
    }

    fn lock_slots(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, Arc<tokio::sync::Mutex<Option<Instance>>>>> {
        self.inner
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn first_time(&self, notice: &str) -> bool {
        self.inner
            .notices_given
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(notice.to_owned())
    }
}

struct Exchange {
    run: LocalRun,
    /// The environment may serve the next invocation; a timeout, a crash or a failed init end it.
    keep_warm: bool,
}

/// Hands one invocation to the environment (after its init, on a cold start) and frames what
/// happened the way Lambda's log does.
async fn exchange(instance: &mut Instance, function: &LocalFunction, payload: Bytes) -> Exchange {
    let request_id = uuid::Uuid::new_v4().to_string();
    let mut log = Vec::new();
    let mut keep_warm = true;
    let mut init_failure = None;
    if instance.init_ms.is_none() {
        match wait_for_init(instance).await {
            Ok(init_ms) => instance.init_ms = Some(init_ms),
            Err(failure) => {
                init_failure = Some(failure);
                keep_warm = false;
            }
        }
        log.extend(instance.take_lines());
    }
    let cold_init_ms = instance.init_ms.filter(|_| instance.invocations == 0);
    instance.invocations += 1;
    log.push(line(format!(
        "START RequestId: {request_id} Version: {}",
        function.version
    )));
    let started = Instant::now();
    let outcome = match init_failure {
        Some(failure) => failure,
        None => {
            let (outcome, warm) = invoke(instance, function, &request_id, payload).await;
            keep_warm = warm;
            outcome
        }
    };
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    log.extend(instance.drain_lines(QUIET).await);
    if let Outcome::Failed { error_type, .. } = &outcome
        && error_type == "Sandbox.Timedout"
    {
        log.push(line(format!(
            "{} {request_id} Task timed out after {}.00 seconds",
            crate::ledger::now(),
            function.timeout_seconds
        )));
    }
    let report = Report {
        duration_ms,
        billed_duration_ms: duration_ms.ceil() as u64,
        memory_size_mb: function.memory_mb,
        max_memory_used_mb: instance.peak_memory_mb(),
        init_duration_ms: cold_init_ms,
    };
    log.push(line(format!("END RequestId: {request_id}")));
    log.push(line(report_line(&request_id, &report)));
    Exchange {
        run: LocalRun {
            request_id,
            outcome,
            log,
            log_group: function.log_group(),
            log_stream: instance.log_stream.clone(),
            report,
            notice: None,
        },
        keep_warm,
    }
}

async fn wait_for_init(instance: &mut Instance) -> Result<f64, Outcome> {
    let deadline = tokio::time::sleep(INIT_LIMIT);
    tokio::pin!(deadline);
    loop {
        // Events first: a runtime posts its init error and then exits, and the error is the news.
        tokio::select! {
            biased;
            event = instance.api.events.recv() => match event {
                Some(RuntimeEvent::Next) => {
                    return Ok(instance.spawned.elapsed().as_secs_f64() * 1000.0);
                }
                Some(RuntimeEvent::InitError { body, error_type }) => {
                    return Err(failure_from(body, error_type, "Runtime.InitError"));
                }
                Some(_) => continue,
                None => return Err(exit_failure("", "the Runtime API stopped")),
            },
            status = instance.child.wait() => {
                return Err(exit_failure("", &describe_exit(status)));
            }
            () = &mut deadline => {
                return Err(error_outcome(
                    "Runtime.InitTimeout",
                    &format!("Init timed out after {}.00 seconds", INIT_LIMIT.as_secs()),
                ));
            }
        }
    }
}

/// Sends the invocation and waits for its answer, a crash, or the timeout; says whether the
/// environment stays warm.
async fn invoke(
    instance: &mut Instance,
    function: &LocalFunction,
    request_id: &str,
    payload: Bytes,
) -> (Outcome, bool) {
    let timeout = Duration::from_secs(u64::try_from(function.timeout_seconds).unwrap_or(3));
    let deadline_ms = now_ms() + i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
    let invocation = Invocation {
        request_id: request_id.to_owned(),
        deadline_ms: u64::try_from(deadline_ms).unwrap_or(0),
        function_arn: function.arn.clone(),
        trace_id: trace_id(),
        payload,
    };
    if let Err(error) = instance.api.send(invocation).await {
        return (exit_failure(request_id, &error.message), false);
    }
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let outcome = loop {
        // Events first: an answer posted just before the process exits still counts.
        tokio::select! {
            biased;
            event = instance.api.events.recv() => match event {
                Some(RuntimeEvent::Response { request_id: answered, body }) if answered == request_id => {
                    break returned(body);
                }
                Some(RuntimeEvent::Error { request_id: answered, body, error_type }) if answered == request_id => {
                    break failure_from(body, error_type, "Unhandled");
                }
                Some(RuntimeEvent::InitError { body, error_type }) => {
                    break failure_from(body, error_type, "Runtime.InitError");
                }
                Some(_) => continue,
                None => break exit_failure(request_id, "the Runtime API stopped"),
            },
            status = instance.child.wait() => {
                instance.api.settle();
                return (exit_failure(request_id, &describe_exit(status)), false);
            }
            () = &mut deadline => {
                instance.api.settle();
                return (
                    error_outcome(
                        "Sandbox.Timedout",
                        &format!(
                            "RequestId: {request_id} Error: Task timed out after {}.00 seconds",
                            function.timeout_seconds
                        ),
                    ),
                    false,
                );
            }
        }
    };
    instance.api.settle();
    // The runtime asks for the next invocation once it is done with this one; until then its
    // last lines may still be on their way.
    let settled = tokio::time::timeout(SETTLE_LIMIT, async {
        loop {
            match instance.api.events.recv().await {
                Some(RuntimeEvent::Next) | None => return,
                Some(_) => continue,
            }
        }
    })
    .await;
    let warm = settled.is_ok() && !instance.has_exited();
    (outcome, warm)
}

/// Lambda passes only JSON back to its callers; anything else a runtime posts is its error.
fn returned(body: Bytes) -> Outcome {
    if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok() {
        return Outcome::Returned(body);
    }
    let shown: String = String::from_utf8_lossy(&body).chars().take(200).collect();
    error_outcome(
        "Runtime.InvalidResponse",
        &format!("The runtime's response is not JSON, so Lambda cannot return it: {shown:?}"),
    )
}

fn failure_from(body: Bytes, error_type: Option<String>, fallback: &str) -> Outcome {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    let from_body = parsed
        .as_ref()
        .and_then(|value| value.get("errorType"))
        .and_then(|value| value.as_str())
        .map(str::to_owned);
    let error_type = error_type
        .or(from_body)
        .unwrap_or_else(|| fallback.to_owned());
    if parsed.as_ref().is_some_and(serde_json::Value::is_object) {
        Outcome::Failed { error_type, body }
    } else {
        // A runtime may post anything; Lambda's callers expect a JSON error.
        error_outcome(&error_type, &String::from_utf8_lossy(&body))
    }
}

fn error_outcome(error_type: &str, message: &str) -> Outcome {
    let body = serde_json::json!({ "errorType": error_type, "errorMessage": message });
    Outcome::Failed {
        error_type: error_type.to_owned(),
        body: Bytes::from(body.to_string()),
    }
}

fn exit_failure(request_id: &str, how: &str) -> Outcome {
    let prefix = if request_id.is_empty() {
        String::new()
    } else {
        format!("RequestId: {request_id} Error: ")
    };
    error_outcome(
        "Runtime.ExitError",
        &format!("{prefix}Runtime exited with error: {how}"),
    )
}

fn describe_exit(status: std::io::Result<std::process::ExitStatus>) -> String {
    match status {
        Ok(status) => status.to_string(),
        Err(err) => err.to_string(),
    }
}

fn line(message: String) -> LogLine {
    LogLine {
        timestamp_ms: now_ms(),
        message,
    }
}

fn report_line(request_id: &str, report: &Report) -> String {
    let mut text = format!(
        "REPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB\t",
        report.duration_ms, report.billed_duration_ms, report.memory_size_mb
    );
    if let Some(used) = report.max_memory_used_mb {
        text.push_str(&format!("Max Memory Used: {used} MB\t"));
    }
    if let Some(init) = report.init_duration_ms {
        text.push_str(&format!("Init Duration: {init:.2} ms\t"));
    }
    text
}

/// An X-Ray trace header as Lambda passes it: the root holds the time in hex.
fn trace_id() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "Root=1-{:08x}-{};Parent={};Sampled=0",
        now_ms() / 1000,
        &random[..24],
        &random[16..32]
    )
}
