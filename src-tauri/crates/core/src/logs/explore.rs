//! The log explorer's reads: the account's log groups (paged, by prefix), events of a group
//! filtered with a CloudWatch filter pattern over a time range (paged), and the polling tail, which
//! asks for what came since the last event it saw and drops what it has already handed out.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag};
use crate::error::AppError;

/// How many groups a page lists, and how many events a page of a query holds at most.
const GROUPS_PAGE: i32 = 50;
const EVENTS_PAGE: i32 = 10_000;
const FILTER_PATTERN_MAX: usize = 1_024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogGroupSummary {
    pub name: String,
    #[ts(type = "number | null")]
    pub stored_bytes: Option<i64>,
    pub retention_days: Option<i32>,
}

/// One page of log groups; `next_token` asks for the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogGroupPage {
    pub context: ContextTag,
    pub groups: Vec<LogGroupSummary>,
    pub next_token: Option<String>,
}

/// The groups whose names start with `prefix` (all when empty), a page at a time.
pub async fn log_groups(
    ctx: &AwsContext,
    prefix: &str,
    next_token: Option<String>,
) -> Result<LogGroupPage, AppError> {
    let prefix = prefix.trim();
    crate::validate::log_group_prefix(prefix)?;
    let page = ctx
        .logs()
        .describe_log_groups()
        .set_log_group_name_prefix((!prefix.is_empty()).then(|| prefix.to_owned()))
        .limit(GROUPS_PAGE)
        .set_next_token(next_token)
        .send()
        .await
        .map_err(ctx.failed("list the log groups"))?;
    Ok(LogGroupPage {
        context: ctx.tag(),
        groups: page
            .log_groups()
            .iter()
            .map(|group| LogGroupSummary {
                name: group.log_group_name().unwrap_or_default().to_owned(),
                stored_bytes: group.stored_bytes(),
                retention_days: group.retention_in_days(),
            })
            .collect(),
        next_token: page.next_token().map(str::to_owned),
    })
}

/// What the explorer asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogQuery {
    pub group: String,
    /// A CloudWatch filter pattern (`ERROR`, `"Task timed out"`, `{ $.level = "error" }`); empty
    /// for every event.
    pub pattern: String,
    #[ts(type = "number")]
    pub start_ms: i64,
    #[ts(type = "number | null")]
    pub end_ms: Option<i64>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundEvent {
    pub event_id: String,
    pub stream: String,
    #[ts(type = "number")]
    pub timestamp_ms: i64,
    pub message: String,
}

/// One page of a query's events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogEventsPage {
    pub context: ContextTag,
    pub events: Vec<FoundEvent>,
    pub next_token: Option<String>,
}

/// One page of the group's events that match the pattern in the time range (FilterLogEvents).
pub async fn filter_events(ctx: &AwsContext, query: &LogQuery) -> Result<LogEventsPage, AppError> {
    crate::validate::log_group_name(&query.group)?;
    if query.pattern.len() > FILTER_PATTERN_MAX {
        return Err(AppError::new(
            crate::ErrorKind::Validation,
            format!("A filter pattern is at most {FILTER_PATTERN_MAX} characters."),
        )
        .with_field("pattern"));
    }
    if query.end_ms.is_some_and(|end| end < query.start_ms) {
        return Err(AppError::new(
            crate::ErrorKind::Validation,
            "The time range ends before it starts.",
        )
        .with_hint("Pick an end after the start.")
        .with_field("timeRange"));
    }
    let pattern = query.pattern.trim();
    let page = ctx
        .logs()
        .filter_log_events()
        .log_group_name(&query.group)
        .set_filter_pattern((!pattern.is_empty()).then(|| pattern.to_owned()))
        .start_time(query.start_ms)
        .set_end_time(query.end_ms)
        .limit(EVENTS_PAGE)
        .set_next_token(query.next_token.clone())
        .send()
        .await
        .map_err(ctx.failed(&format!("read the events of {}", query.group)))?;
    let mut events: Vec<FoundEvent> = page
        .events()
        .iter()
        .map(|event| FoundEvent {
            event_id: event.event_id().unwrap_or_default().to_owned(),
            stream: event.log_stream_name().unwrap_or_default().to_owned(),
            timestamp_ms: event.timestamp().unwrap_or_default(),
            message: super::line_of(event.message()),
        })
        .collect();
    events.sort_by_key(|event| event.timestamp_ms);
    Ok(LogEventsPage {
        context: ctx.tag(),
        events,
        next_token: page.next_token().map(str::to_owned),
    })
}

/// The polling tail of one group: each `poll` returns the events that came since the last one it
/// returned, in order, each once. Used where StartLiveTail is not served (the sandbox).
#[derive(Debug)]
pub struct PollingTail {
    query: LogQuery,
    /// The events already handed out at the newest timestamp seen: the next poll starts at that
    /// millisecond again (later events may share it) and drops these.
    seen_at_newest: HashSet<String>,
}

impl PollingTail {
    pub fn new(group: &str, pattern: &str, start_ms: i64) -> Self {
        Self {
            query: LogQuery {
                group: group.to_owned(),
                pattern: pattern.to_owned(),
                start_ms,
                end_ms: None,
                next_token: None,
            },
            seen_at_newest: HashSet::new(),
        }
    }

    pub async fn poll(&mut self, ctx: &AwsContext) -> Result<Vec<FoundEvent>, AppError> {
        let mut fresh = Vec::new();
        let mut query = self.query.clone();
        loop {
            // A group that does not exist yet (a function that never ran) has nothing new.
            let page = match filter_events(ctx, &query).await {
                Err(error) if error.kind == crate::ErrorKind::NotFound => return Ok(Vec::new()),
                other => other?,
            };
            fresh.extend(page.events);
            match page.next_token {
                Some(token) => query.next_token = Some(token),
                None => break,
            }
        }
        fresh.sort_by_key(|event| event.timestamp_ms);
        fresh.retain(|event| !self.seen_at_newest.contains(&event.event_id));
        if let Some(newest) = fresh.last().map(|event| event.timestamp_ms) {
            if newest > self.query.start_ms {
                self.seen_at_newest.clear();
                self.query.start_ms = newest;
            }
            self.seen_at_newest.extend(
                fresh
                    .iter()
                    .filter(|event| event.timestamp_ms == newest)
                    .map(|event| event.event_id.clone()),
            );
        }
        Ok(fresh)
    }
}
