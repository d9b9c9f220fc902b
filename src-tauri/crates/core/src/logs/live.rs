//! Follow mode. Where the endpoint serves StartLiveTail, a Live Tail session streams new events
//! as CloudWatch Logs ingests them, and a task keeps them until the page asks. Where it does not
//! (the Local sandbox, or an endpoint that refuses the call), the polling tail asks
//! FilterLogEvents instead. Either way the page polls the same `Tail` and is told which it got.

use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::EndpointPrefix;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use ts_rs::TS;

use super::explore::{FoundEvent, PollingTail};
use crate::aws::{AwsContext, partition};
use crate::error::{AppError, ErrorKind};

/// How a tail follows its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum TailMode {
    /// A StartLiveTail session: events as they are ingested.
    LiveTail,
    /// FilterLogEvents, asked every couple of seconds for what came since.
    Polling,
}

/// What the page is told when it starts following.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TailStarted {
    pub tail_id: String,
    pub mode: TailMode,
    /// Why it polls, when it does.
    pub why_polling: Option<String>,
}

/// A Live Tail session's events, gathered by a task until polled.
#[derive(Debug)]
pub struct LiveTail {
    gathered: Arc<Mutex<Gathered>>,
    reader: JoinHandle<()>,
}

#[derive(Debug, Default)]
struct Gathered {
    events: Vec<FoundEvent>,
    /// How many events the session has delivered: live events have no id, so they get one.
    delivered: u64,
    /// Why the session stopped, once it has.
    ended: Option<String>,
}

impl LiveTail {
    /// Starts a session on the group (named by its ARN, as StartLiveTail wants).
    pub async fn start(ctx: &AwsContext, group: &str, pattern: &str) -> Result<Self, AppError> {
        crate::validate::log_group_name(group)?;
        let arn = format!(
            "arn:{}:logs:{}:{}:log-group:{group}",
            partition(&ctx.region),
            ctx.region,
            ctx.account_id
        );
        let pattern = pattern.trim();
        let request = ctx
            .logs()
            .start_live_tail()
            .log_group_identifiers(arn)
            .set_log_event_filter_pattern((!pattern.is_empty()).then(|| pattern.to_owned()));
        let answer = if ctx.endpoint_url.is_some() {
            request
                .customize()
                .interceptor(OneHostEndpoint)
                .send()
                .await
        } else {
            request.send().await
        };
        let mut stream = answer
            .map_err(ctx.failed(&format!("start a Live Tail of {group}")))?
            .response_stream;
        let gathered = Arc::new(Mutex::new(Gathered::default()));
        let into = gathered.clone();
        let reader = tokio::spawn(async move {
            let ended = loop {
                match stream.recv().await {
                    Ok(Some(StartLiveTailResponseStream::SessionUpdate(update))) => {
                        let mut gathered = into.lock().unwrap_or_else(PoisonError::into_inner);
                        for event in update.session_results() {
                            gathered.delivered += 1;
                            let event_id = format!("live-{}", gathered.delivered);
                            gathered.events.push(FoundEvent {
                                event_id,
                                stream: event.log_stream_name().unwrap_or_default().to_owned(),
                                timestamp_ms: event.timestamp().unwrap_or_default(),
                                message: super::line_of(event.message()),
                            });
                        }
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => break "The Live Tail session ended.".to_owned(),
                    Err(error) => {
                        tracing::warn!(%error, "a Live Tail session failed");
                        break format!("The Live Tail session stopped: {error}.");
                    }
                }
            };
            into.lock().unwrap_or_else(PoisonError::into_inner).ended = Some(ended);
        });
        Ok(Self { gathered, reader })
    }

    /// What arrived since the last poll, oldest first; once the session has ended and handed
    /// everything out, why it ended.
    pub fn poll(&self) -> Result<Vec<FoundEvent>, AppError> {
        let mut gathered = self.gathered.lock().unwrap_or_else(PoisonError::into_inner);
        let mut events = std::mem::take(&mut gathered.events);
        if events.is_empty()
            && let Some(why) = &gathered.ended
        {
            return Err(AppError::new(ErrorKind::Network, why.clone())
                .with_hint("Follow again to start a new session."));
        }
        events.sort_by_key(|event| event.timestamp_ms);
        Ok(events)
    }
}

impl Drop for LiveTail {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// StartLiveTail asks for its host with a `streaming-` prefix, AWS's streaming endpoint. An
/// endpoint the profile sets (the sandbox, an emulator) is one host for every call: the prefix
/// would name a host that does not exist, so it is dropped there.
#[derive(Debug)]
struct OneHostEndpoint;

impl Intercept for OneHostEndpoint {
    fn name(&self) -> &'static str {
        "OneHostEndpoint"
    }

    fn modify_before_retry_loop(
        &self,
        _context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().unset::<EndpointPrefix>();
        Ok(())
    }
}

/// A followed group, whichever way it is followed.
#[derive(Debug)]
pub enum Tail {
    Live(LiveTail),
    Polling(PollingTail),
}

impl Tail {
    /// A Live Tail where the endpoint has one, else the polling tail from `now_ms`, and why.
    pub async fn start(
        ctx: &AwsContext,
        group: &str,
        pattern: &str,
        now_ms: i64,
    ) -> Result<(Self, Option<String>), AppError> {
        crate::validate::log_group_name(group)?;
        let polling = || Tail::Polling(PollingTail::new(group, pattern, now_ms));
        if ctx.runs_code_locally {
            let why = "The Local sandbox does not serve StartLiveTail.".to_owned();
            return Ok((polling(), Some(why)));
        }
        match LiveTail::start(ctx, group, pattern).await {
            Ok(live) => Ok((Tail::Live(live), None)),
            Err(error) if error.kind == ErrorKind::Validation => Err(error),
            Err(error) => Ok((
                polling(),
                Some(format!("StartLiveTail failed: {}", error.message)),
            )),
        }
    }

    pub fn mode(&self) -> TailMode {
        match self {
            Tail::Live(_) => TailMode::LiveTail,
            Tail::Polling(_) => TailMode::Polling,
        }
    }

    pub async fn poll(&mut self, ctx: &AwsContext) -> Result<Vec<FoundEvent>, AppError> {
        match self {
            Tail::Live(live) => live.poll(),
            Tail::Polling(polling) => polling.poll(ctx).await,
        }
    }
}
