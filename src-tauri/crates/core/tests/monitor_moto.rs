//! The Monitor tab against a real moto server: metrics seeded with PutMetricData come back on the
//! chart's grid, in the right period, with each series' statistic; log groups page by prefix,
//! events filter by pattern and time range, and the polling tail delivers what came after it
//! started, in order, once; and the Monitor page reads every function's day in a call per 500
//! metrics.

mod common;

use std::time::SystemTime;

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use lambdesk_core::logs::{
    LiveTail, LogQuery, PollingTail, Tail, TailMode, filter_events, log_groups,
};
use lambdesk_core::metrics::{MetricRange, QUERIES_PER_CALL, fleet_activity, function_metrics};

#[tokio::test]
async fn seeded_metrics_come_back_on_the_grid_with_each_statistic() {
    let ctx = common::sandbox_context().await;
    let name = common::unique_name("charted");
    let now = SystemTime::now();
    let now_ms = i64::try_from(
        now.duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    // Ten minutes ago, on a minute boundary, so both points fall in one period.
    let at_ms = (now_ms / 60_000 - 10) * 60_000 + 5_000;
    let at = aws_smithy_types::DateTime::from_millis(at_ms);
    let dimension = Dimension::builder()
        .name("FunctionName")
        .value(&name)
        .build();
    let datum = |metric: &str, value: f64, unit: StandardUnit| {
        MetricDatum::builder()
            .metric_name(metric)
            .dimensions(dimension.clone())
            .timestamp(at)
            .value(value)
            .unit(unit)
            .build()
    };
    ctx.cloudwatch()
        .put_metric_data()
        .namespace("AWS/Lambda")
        .metric_data(datum("Invocations", 1.0, StandardUnit::Count))
        .metric_data(datum("Invocations", 1.0, StandardUnit::Count))
        .metric_data(datum("Errors", 1.0, StandardUnit::Count))
        .metric_data(datum("Errors", 0.0, StandardUnit::Count))
        .metric_data(datum("Duration", 100.0, StandardUnit::Milliseconds))
        .metric_data(datum("Duration", 300.0, StandardUnit::Milliseconds))
        .metric_data(datum("ConcurrentExecutions", 2.0, StandardUnit::Count))
        .send()
        .await
        .unwrap();

    let metrics = function_metrics(&ctx, &name, MetricRange::OneHour, now_ms)
        .await
        .unwrap();
    assert_eq!(metrics.period_seconds, 60);
    assert_eq!(metrics.timestamps_ms.len(), 60);
    let slot = metrics
        .timestamps_ms
        .iter()
        .position(|start| *start <= at_ms && at_ms < start + 60_000)
        .expect("the seeded minute is on the grid");
    assert_eq!(metrics.invocations[slot], 2.0, "Sum");
    assert_eq!(metrics.errors[slot], 1.0, "Sum");
    assert_eq!(metrics.success_rate[slot], Some(50.0));
    assert_eq!(metrics.duration_average[slot], Some(200.0), "Average");
    assert_eq!(metrics.duration_maximum[slot], Some(300.0), "Maximum");
    assert_eq!(metrics.concurrent_executions[slot], Some(2.0), "Maximum");
    assert_eq!(
        metrics.invocations.iter().sum::<f64>(),
        2.0,
        "nothing else in the hour"
    );
    assert_eq!(
        metrics.duration_average.iter().flatten().count(),
        1,
        "no duration where nothing ran"
    );

    // The week's chart puts the same runs in the hour they fell in.
    let week = function_metrics(&ctx, &name, MetricRange::SevenDays, now_ms)
        .await
        .unwrap();
    assert_eq!(week.period_seconds, 3_600);
    assert_eq!(week.invocations.iter().sum::<f64>(), 2.0);
}

fn messages(events: &[lambdesk_core::logs::FoundEvent]) -> Vec<&str> {
    events.iter().map(|e| e.message.as_str()).collect()
}

async fn put(ctx: &lambdesk_core::AwsContext, group: &str, stream: &str, events: &[(i64, &str)]) {
    let logs = ctx.logs();
    let _ = logs.create_log_group().log_group_name(group).send().await;
    let _ = logs
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await;
    let mut request = logs
        .put_log_events()
        .log_group_name(group)
        .log_stream_name(stream);
    for (at, message) in events {
        request = request.log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(*at)
                .message(*message)
                .build()
                .unwrap(),
        );
    }
    request.send().await.unwrap();
}

#[tokio::test]
async fn groups_page_by_prefix_and_events_filter_by_pattern_and_time() {
    let ctx = common::sandbox_context().await;
    let prefix = format!("/lambdesk-test/{}/", common::unique_name("groups"));
    let logs = ctx.logs();
    for index in 0..55 {
        logs.create_log_group()
            .log_group_name(format!("{prefix}{index:02}"))
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = log_groups(&ctx, &prefix, token).await.unwrap();
        assert!(page.groups.len() <= 50);
        names.extend(page.groups.into_iter().map(|group| group.name));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 55, "every group once, over pages");
    assert_eq!(
        log_groups(&ctx, "no such/*", None)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("prefix")
    );

    let group = format!("{prefix}app");
    // Within the last 14 days: CloudWatch Logs refuses older events.
    let base = lambdesk_core::clock::now_ms() / 1000 * 1000 - 3_600_000;
    put(
        &ctx,
        &group,
        "a",
        &[
            (base, "INFO started"),
            (base + 1_000, "ERROR broke"),
            (base + 2_000, "INFO done"),
        ],
    )
    .await;
    put(&ctx, &group, "b", &[(base + 1_500, "ERROR again")]).await;
    let query = |pattern: &str, start_ms: i64, end_ms: Option<i64>| LogQuery {
        group: group.clone(),
        pattern: pattern.to_owned(),
        start_ms,
        end_ms,
        next_token: None,
    };
    let all = filter_events(&ctx, &query("", base, None)).await.unwrap();
    assert_eq!(
        messages(&all.events),
        ["INFO started", "ERROR broke", "ERROR again", "INFO done"],
        "both streams, oldest first"
    );
    let errors = filter_events(&ctx, &query("ERROR", base, None))
        .await
        .unwrap();
    assert_eq!(errors.events.len(), 2);
    assert!(errors.events.iter().all(|e| e.message.starts_with("ERROR")));
    let late = filter_events(&ctx, &query("", base + 1_200, Some(base + 1_800)))
        .await
        .unwrap();
    assert_eq!(
        late.events
            .iter()
            .map(|e| e.stream.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
    let backwards = filter_events(&ctx, &query("", base + 10, Some(base)))
        .await
        .unwrap_err();
    assert_eq!(backwards.field.as_deref(), Some("timeRange"));
}

#[tokio::test]
async fn the_polling_tail_delivers_what_came_after_it_started_in_order_and_once() {
    let ctx = common::sandbox_context().await;
    let group = format!("/lambdesk-test/{}", common::unique_name("tail"));
    // Within the last 14 days: CloudWatch Logs refuses older events.
    let base = lambdesk_core::clock::now_ms() / 1000 * 1000 - 3_600_000;
    put(&ctx, &group, "s", &[(base - 5_000, "before the tail")]).await;
    let mut tail = PollingTail::new(&group, "", base);
    assert!(tail.poll(&ctx).await.unwrap().is_empty());
    put(&ctx, &group, "s", &[(base + 1, "one"), (base + 2, "two")]).await;
    let first = tail.poll(&ctx).await.unwrap();
    assert_eq!(messages(&first), ["one", "two"]);
    // A later event in the same millisecond as the newest seen is not lost, and nothing repeats.
    put(
        &ctx,
        &group,
        "t",
        &[(base + 2, "two, elsewhere"), (base + 3, "three")],
    )
    .await;
    let second = tail.poll(&ctx).await.unwrap();
    assert_eq!(messages(&second), ["two, elsewhere", "three"]);
    assert!(tail.poll(&ctx).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_monitor_page_reads_every_functions_day_in_one_call_per_500_metrics() {
    let ctx = common::sandbox_context().await;
    let busy = common::unique_name("fleet-busy");
    let idle = common::unique_name("fleet-idle");
    common::create_functions(&ctx, &[busy.clone(), idle.clone()]).await;
    let now_ms = lambdesk_core::clock::now_ms();
    let at = aws_smithy_types::DateTime::from_millis(now_ms - 120_000);
    let datum = |metric: &str, value: f64, unit: StandardUnit| {
        MetricDatum::builder()
            .metric_name(metric)
            .dimensions(
                Dimension::builder()
                    .name("FunctionName")
                    .value(&busy)
                    .build(),
            )
            .timestamp(at)
            .value(value)
            .unit(unit)
            .build()
    };
    // Twenty runs of 10, 20, … 200 ms, two of them failed: the p95 is the 19th, 190 ms.
    let mut request = ctx.cloudwatch().put_metric_data().namespace("AWS/Lambda");
    for run in 1..=20 {
        request = request
            .metric_data(datum("Invocations", 1.0, StandardUnit::Count))
            .metric_data(datum(
                "Errors",
                f64::from(u8::from(run > 18)),
                StandardUnit::Count,
            ))
            .metric_data(datum(
                "Duration",
                f64::from(run * 10),
                StandardUnit::Milliseconds,
            ));
    }
    request.send().await.unwrap();

    let fleet = fleet_activity(&ctx, now_ms).await.unwrap();
    let functions = lambdesk_core::lambda::list_functions(&ctx)
        .await
        .unwrap()
        .functions;
    assert_eq!(
        fleet.functions.len(),
        functions.len(),
        "every function of the region"
    );
    let expected_calls = functions.len().div_ceil(QUERIES_PER_CALL / 3);
    assert_eq!(fleet.metric_calls as usize, expected_calls);
    assert_eq!(fleet.end_ms - fleet.start_ms, 24 * 3_600_000);
    assert!(fleet.start_ms < now_ms && now_ms < fleet.end_ms);
    let row = |name: &str| {
        fleet
            .functions
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .clone()
    };
    let busy_row = row(&busy);
    assert_eq!(busy_row.invocations, 20.0);
    assert_eq!(busy_row.errors, 2.0);
    assert_eq!(busy_row.p95_duration_ms, Some(190.0));
    assert_eq!(busy_row.runtime.as_deref(), Some("python3.12"));
    let idle_row = row(&idle);
    assert_eq!(
        (
            idle_row.invocations,
            idle_row.errors,
            idle_row.p95_duration_ms
        ),
        (0.0, 0.0, None)
    );
}

#[tokio::test]
async fn follow_uses_a_live_tail_where_the_endpoint_serves_one_and_polls_where_not() {
    let sandbox = common::sandbox_context().await;
    let group = format!("/lambdesk-test/{}", common::unique_name("live"));
    let base = lambdesk_core::clock::now_ms() / 1000 * 1000 - 60_000;
    put(
        &sandbox,
        &group,
        "s",
        &[(base, "first"), (base + 1, "second")],
    )
    .await;

    // The app follows the Local sandbox by polling, and says why.
    let (tail, why) = Tail::start(&sandbox, &group, "", base).await.unwrap();
    assert_eq!(tail.mode(), TailMode::Polling);
    assert!(why.unwrap().contains("does not serve StartLiveTail"));

    // Elsewhere it asks StartLiveTail. moto serves it (its session sends the group's events once,
    // then ends), which is enough to read a real event stream through the SDK.
    let mut elsewhere = sandbox.clone();
    elsewhere.runs_code_locally = false;
    let (mut live, why) = Tail::start(&elsewhere, &group, "", base).await.unwrap();
    assert_eq!((live.mode(), why), (TailMode::LiveTail, None));
    let mut received = Vec::new();
    let ended = loop {
        match live.poll(&elsewhere).await {
            Ok(events) => received.extend(events),
            Err(error) => break error,
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(messages(&received), ["first", "second"]);
    assert_eq!(received[0].stream, "s");
    assert_ne!(received[0].event_id, received[1].event_id);
    assert_eq!(ended.message, "The Live Tail session ended.");

    // A filter pattern goes to the session.
    let filtered = LiveTail::start(&elsewhere, &group, "second").await.unwrap();
    let mut received = Vec::new();
    while let Ok(events) = filtered.poll() {
        received.extend(events);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(messages(&received), ["second"]);

    // A group the endpoint has no session for is polled instead, with the endpoint's reason.
    let missing = format!("{group}-missing");
    let (tail, why) = Tail::start(&elsewhere, &missing, "", base).await.unwrap();
    assert_eq!(tail.mode(), TailMode::Polling);
    assert!(why.unwrap().starts_with("StartLiveTail failed"));
}
