//! Invoking a function. In an account, Lambda's Invoke runs it. On the Local sandbox, which runs no
//! code, the local Lambda runs it and its log and metrics go where Lambda would write them; and
//! "Run locally" runs any account's function on this machine with its own code and settings.

use std::collections::BTreeMap;

use aws_sdk_lambda::types::{InvocationType as LambdaInvocationType, LogType};
use aws_types::request_id::RequestId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::code::fetch_code;
use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::local::{CodeCache, LocalFunction, LocalLambda, LocalRun, Outcome, Report};
use crate::{logs, metrics, validate};

/// Lambda's `LogType=Tail` returns the last 4 KB of the log.
const TAIL_BYTES: usize = 4 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum InvocationType {
    /// Wait for the answer.
    RequestResponse,
    /// Queue the event and return at once (202); the function runs in the background.
    Event,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvokeRequest {
    pub function_name: String,
    /// The event, as JSON text.
    pub payload: String,
    pub invocation_type: InvocationType,
    /// Return the last 4 KB of the log (`LogType=Tail`).
    pub tail_log: bool,
}

/// Lambda's Invoke response, whoever ran the function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvokeResult {
    pub context: ContextTag,
    /// 200 for a synchronous invoke, 202 for an accepted Event.
    pub status_code: i32,
    /// `Unhandled` when the function failed; the payload then holds the error.
    pub function_error: Option<String>,
    pub payload: String,
    /// The last 4 KB of the log, base64-encoded, as `LogType=Tail` returns it.
    pub log_result: Option<String>,
    pub executed_version: Option<String>,
    pub request_id: Option<String>,
    /// The figures of the REPORT line, when the local Lambda ran it (from AWS, the UI parses
    /// them out of the log tail).
    pub report: Option<Report>,
    /// Run by Lambdesk's local Lambda rather than by Lambda in AWS.
    pub ran_locally: bool,
    /// What the user should know about how it ran, each said once.
    pub notices: Vec<String>,
}

/// Invokes the function: through Lambda in an account, through the local Lambda on the sandbox.
pub async fn invoke(
    ctx: &AwsContext,
    local: &LocalLambda,
    request: &InvokeRequest,
) -> Result<InvokeResult, AppError> {
    validate::function_name(&request.function_name)?;
    let asynchronous = request.invocation_type == InvocationType::Event;
    validate::invoke_payload(request.payload.as_bytes(), asynchronous)?;
    if ctx.runs_code_locally {
        return invoke_in_sandbox(ctx, local, request).await;
    }
    let name = &request.function_name;
    let answer = ctx
        .lambda()
        .invoke()
        .function_name(name)
        .invocation_type(match request.invocation_type {
            InvocationType::RequestResponse => LambdaInvocationType::RequestResponse,
            InvocationType::Event => LambdaInvocationType::Event,
        })
        .log_type(if request.tail_log {
            LogType::Tail
        } else {
            LogType::None
        })
        .payload(aws_smithy_types::Blob::new(request.payload.as_bytes()))
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &format!("invoke {name}"), &ctx.endpoint()))?;
    Ok(InvokeResult {
        context: ctx.tag(),
        status_code: answer.status_code(),
        function_error: answer.function_error().map(str::to_owned),
        payload: answer
            .payload()
            .map(|blob| String::from_utf8_lossy(blob.as_ref()).into_owned())
            .unwrap_or_default(),
        log_result: answer.log_result().map(str::to_owned),
        executed_version: answer.executed_version().map(str::to_owned),
        request_id: answer.request_id().map(str::to_owned),
        report: None,
        ran_locally: false,
        notices: Vec::new(),
    })
}

/// Runs any account's function on this machine: its code (downloaded once, kept by
/// `CodeSha256`) with its configuration. Nothing is written to the account.
pub async fn run_locally(
    ctx: &AwsContext,
    local: &LocalLambda,
    function_name: &str,
    event: &str,
) -> Result<InvokeResult, AppError> {
    validate::function_name(function_name)?;
    validate::invoke_payload(event.as_bytes(), false)?;
    let function = local_function(ctx, local.code(), function_name).await?;
    let run = local.run(&function, event.as_bytes()).await?;
    let notices = run.notice.iter().cloned().collect();
    Ok(result_of(ctx, &run, true, notices))
}

async fn invoke_in_sandbox(
    ctx: &AwsContext,
    local: &LocalLambda,
    request: &InvokeRequest,
) -> Result<InvokeResult, AppError> {
    let function = local_function(ctx, local.code(), &request.function_name).await?;
    let payload = request.payload.clone();
    if request.invocation_type == InvocationType::Event {
        let (event_ctx, local) = (ctx.clone(), local.clone());
        let event_function = function.clone();
        tokio::spawn(async move {
            match local.run(&event_function, payload.as_bytes()).await {
                Ok(run) => {
                    if let Err(error) = record(&event_ctx, &event_function, &run).await {
                        tracing::warn!(%error, function = %event_function.name, "could not record an Event invoke's run");
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, function = %event_function.name, "an Event invoke could not run");
                }
            }
        });
        return Ok(InvokeResult {
            context: ctx.tag(),
            status_code: 202,
            function_error: None,
            payload: String::new(),
            log_result: None,
            executed_version: None,
            request_id: None,
            report: None,
            ran_locally: true,
            notices: Vec::new(),
        });
    }
    let run = local.run(&function, payload.as_bytes()).await?;
    let mut notices: Vec<String> = run.notice.iter().cloned().collect();
    if let Err(error) = record(ctx, &function, &run).await {
        notices.push(format!(
            "The run's log and metrics could not be written to the sandbox: {}",
            error.message
        ));
    }
    Ok(result_of(ctx, &run, request.tail_log, notices))
}

/// Writes a local run where Lambda writes a real one: its log lines to `/aws/lambda/<name>`, its
/// figures to `AWS/Lambda`.
async fn record(
    ctx: &AwsContext,
    function: &LocalFunction,
    run: &LocalRun,
) -> Result<(), AppError> {
    tokio::try_join!(
        logs::append(ctx, &run.log_group, &run.log_stream, &run.log),
        metrics::put_invocation(ctx, &function.name, run.report.duration_ms, run.failed()),
    )
    .map(drop)
}

fn result_of(
    ctx: &AwsContext,
    run: &LocalRun,
    tail_log: bool,
    notices: Vec<String>,
) -> InvokeResult {
    let (function_error, payload) = match &run.outcome {
        Outcome::Returned(body) => (None, body),
        Outcome::Failed { body, .. } => (Some("Unhandled".to_owned()), body),
    };
    InvokeResult {
        context: ctx.tag(),
        status_code: 200,
        function_error,
        payload: String::from_utf8_lossy(payload).into_owned(),
        log_result: tail_log.then(|| tail(&run.log_text())),
        executed_version: Some("$LATEST".to_owned()),
        request_id: Some(run.request_id.clone()),
        report: Some(run.report.clone()),
        ran_locally: true,
        notices,
    }
}

/// The last 4 KB of the log, base64-encoded, cut at a character boundary.
fn tail(log: &str) -> String {
    let mut start = log.len().saturating_sub(TAIL_BYTES);
    while !log.is_char_boundary(start) {
        start += 1;
    }
    aws_smithy_types::base64::encode(&log[start..])
}

/// The function's configuration as the local Lambda needs it, with its code in the cache:
/// Lambdesk's own copy when it deployed that code, else downloaded from `Code.Location`.
async fn local_function(
    ctx: &AwsContext,
    code: &CodeCache,
    name: &str,
) -> Result<LocalFunction, AppError> {
    let (found, _) = fetch_code(ctx, code, name).await?;
    let config = super::configuration_of(&found, name)?;
    let runtime = config
        .runtime()
        .map(|runtime| runtime.as_str().to_owned())
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                format!("{name} names no runtime, so the local Lambda cannot tell how to run it."),
            )
        })?;
    let environment: BTreeMap<String, String> = config
        .environment()
        .and_then(|environment| environment.variables())
        .map(|variables| {
            variables
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(LocalFunction {
        name: name.to_owned(),
        arn: config.function_arn().unwrap_or_default().to_owned(),
        version: config.version().unwrap_or("$LATEST").to_owned(),
        region: ctx.region.clone(),
        runtime,
        handler: config.handler().unwrap_or_default().to_owned(),
        memory_mb: config.memory_size().unwrap_or(128),
        timeout_seconds: config.timeout().unwrap_or(3),
        environment,
        code_sha256: config.code_sha256().unwrap_or_default().to_owned(),
        aws_endpoint: ctx
            .runs_code_locally
            .then(|| ctx.endpoint_url.clone())
            .flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_is_the_last_four_kilobytes() {
        let log = format!("{}é{}", "a".repeat(5000), "b".repeat(4095));
        let decoded = aws_smithy_types::base64::decode(tail(&log)).unwrap();
        let text = String::from_utf8(decoded).unwrap();
        assert!(text.len() <= TAIL_BYTES);
        assert!(text.ends_with('b'));
        assert_eq!(tail("short\n"), aws_smithy_types::base64::encode("short\n"));
    }
}
