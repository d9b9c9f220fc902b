//! Invoking on the Local sandbox against a real moto server: the local Lambda runs the code (from
//! Lambdesk's own copy, or handed out by the sandbox), and the log and metrics land where Lambda
//! puts them.

mod common;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use lambdesk_core::lambda::{InvocationType, InvokeRequest, InvokeResult, invoke, run_locally};
use lambdesk_core::local::{CodeCache, LocalLambda};
use lambdesk_core::{AwsContext, ErrorKind, runtimes};

const HELLO_EVENT: &str = r#"{"key1":"value1","key2":"value2","key3":"value3"}"#;
/// How long an Event invoke's log may take to appear; it runs in the background.
const EVENT_LOG_BOUND: Duration = Duration::from_secs(30);

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn request(name: &str, payload: &str, invocation_type: InvocationType) -> InvokeRequest {
    InvokeRequest {
        function_name: name.to_owned(),
        payload: payload.to_owned(),
        invocation_type,
        tail_log: true,
    }
}

fn tail(result: &InvokeResult) -> String {
    let encoded = result
        .log_result
        .as_deref()
        .expect("LogType=Tail returns the log");
    String::from_utf8(aws_smithy_types::base64::decode(encoded).unwrap()).unwrap()
}

async fn code_sha256(ctx: &AwsContext, name: &str) -> String {
    ctx.lambda()
        .get_function_configuration()
        .function_name(name)
        .send()
        .await
        .unwrap()
        .code_sha256()
        .unwrap()
        .to_owned()
}

/// Every message of the function's log group, with the streams they are in.
async fn log_messages(ctx: &AwsContext, name: &str) -> Vec<(String, String)> {
    let logs = ctx.logs();
    let group = format!("/aws/lambda/{name}");
    let Ok(streams) = logs
        .describe_log_streams()
        .log_group_name(&group)
        .send()
        .await
    else {
        return Vec::new();
    };
    let mut messages = Vec::new();
    for stream in streams.log_streams() {
        let stream_name = stream.log_stream_name().unwrap().to_owned();
        let events = logs
            .get_log_events()
            .log_group_name(&group)
            .log_stream_name(&stream_name)
            .start_from_head(true)
            .send()
            .await
            .unwrap();
        for event in events.events() {
            messages.push((stream_name.clone(), event.message().unwrap().to_owned()));
        }
    }
    messages
}

async fn metric_sum(ctx: &AwsContext, name: &str, metric: &str) -> f64 {
    let now = SystemTime::now();
    let answer = ctx
        .cloudwatch()
        .get_metric_data()
        .start_time((now - Duration::from_secs(600)).into())
        .end_time((now + Duration::from_secs(60)).into())
        .metric_data_queries(
            MetricDataQuery::builder()
                .id("m")
                .metric_stat(
                    MetricStat::builder()
                        .metric(
                            Metric::builder()
                                .namespace("AWS/Lambda")
                                .metric_name(metric)
                                .dimensions(
                                    Dimension::builder()
                                        .name("FunctionName")
                                        .value(name)
                                        .build(),
                                )
                                .build(),
                        )
                        .period(60)
                        .stat("Sum")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    answer
        .metric_data_results()
        .iter()
        .flat_map(|result| result.values().iter().copied())
        .sum()
}

#[tokio::test]
async fn a_sandbox_invoke_runs_lambdesks_copy_and_writes_the_log_and_metrics() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("invoke");
    let name = common::create_hello_world(&ctx, &data).await;
    let sha = code_sha256(&ctx, &name).await;
    assert!(
        CodeCache::in_data_dir(&data).holds(&sha),
        "the create plan kept a copy of the package it deployed"
    );
    let local = LocalLambda::new(&data);

    let result = invoke(
        &ctx,
        &local,
        &request(&name, HELLO_EVENT, InvocationType::RequestResponse),
    )
    .await
    .unwrap();

    assert_eq!(result.status_code, 200);
    assert_eq!(result.function_error, None);
    assert_eq!(result.payload, "\"Hello World\"");
    assert!(result.ran_locally);
    assert_eq!(result.context, ctx.tag());
    let request_id = result.request_id.clone().unwrap();
    let shown = tail(&result);
    assert!(shown.contains("value2 = value2"), "{shown}");
    assert!(
        shown.contains(&format!("REPORT RequestId: {request_id}")),
        "{shown}"
    );

    let messages = log_messages(&ctx, &name).await;
    let start = format!("START RequestId: {request_id} Version: $LATEST");
    let (stream, _) = messages
        .iter()
        .find(|(_, message)| *message == start)
        .unwrap_or_else(|| panic!("{start} not in {messages:?}"));
    let (date, hex) = stream
        .split_once("/[$LATEST]")
        .expect("a Lambda stream name");
    assert_eq!(date, runtimes::today().replace('-', "/"));
    assert_eq!(hex.len(), 32);
    for line in ["value1 = value1", "value3 = value3"] {
        assert!(
            messages.iter().any(|(s, m)| s == stream && m == line),
            "{line} not in {messages:?}"
        );
    }
    assert!(
        messages
            .iter()
            .any(|(_, m)| m.starts_with(&format!("REPORT RequestId: {request_id}")))
    );

    assert_eq!(metric_sum(&ctx, &name, "Invocations").await, 1.0);
    assert_eq!(metric_sum(&ctx, &name, "Errors").await, 0.0);
    assert!(metric_sum(&ctx, &name, "Duration").await > 0.0);
    assert_eq!(metric_sum(&ctx, &name, "ConcurrentExecutions").await, 1.0);

    let failing = invoke(
        &ctx,
        &local,
        &request(
            &name,
            r#"{"key1":"only one"}"#,
            InvocationType::RequestResponse,
        ),
    )
    .await
    .unwrap();
    assert_eq!(failing.function_error.as_deref(), Some("Unhandled"));
    assert!(
        failing.payload.contains("\"errorType\": \"KeyError\""),
        "{}",
        failing.payload
    );
    assert_eq!(metric_sum(&ctx, &name, "Invocations").await, 2.0);
    assert_eq!(metric_sum(&ctx, &name, "Errors").await, 1.0);
    local.stop_all().await;
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn a_function_made_elsewhere_runs_with_the_code_the_sandbox_hands_out() {
    let ctx = common::sandbox_context().await;
    let name = common::unique_name("elsewhere");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let data = temp_dir("elsewhere");
    let local = LocalLambda::new(&data);

    let result = invoke(
        &ctx,
        &local,
        &request(&name, "", InvocationType::RequestResponse),
    )
    .await
    .unwrap();
    assert_eq!(result.payload, "\"Hello World\"");
    assert!(local.code().holds(&code_sha256(&ctx, &name).await));

    let here = run_locally(&ctx, &local, &name, "{}").await.unwrap();
    assert_eq!(here.payload, "\"Hello World\"");
    assert!(here.ran_locally);
    local.stop_all().await;
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn an_event_invoke_is_accepted_with_202_and_its_log_appears() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("event");
    let name = common::create_hello_world(&ctx, &data).await;
    let local = LocalLambda::new(&data);

    let accepted = invoke(
        &ctx,
        &local,
        &request(&name, HELLO_EVENT, InvocationType::Event),
    )
    .await
    .unwrap();
    assert_eq!(accepted.status_code, 202);
    assert_eq!(accepted.payload, "");

    let began = std::time::Instant::now();
    loop {
        let messages = log_messages(&ctx, &name).await;
        if messages
            .iter()
            .any(|(_, m)| m.starts_with("REPORT RequestId: "))
        {
            assert!(
                messages.iter().any(|(_, m)| m == "value1 = value1"),
                "{messages:?}"
            );
            break;
        }
        assert!(
            began.elapsed() < EVENT_LOG_BOUND,
            "no log after {EVENT_LOG_BOUND:?}: {messages:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    local.stop_all().await;
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn payloads_over_lambdas_limits_are_refused_before_anything_runs() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("limits");
    let name = common::create_hello_world(&ctx, &data).await;
    let local = LocalLambda::new(&data);

    let seven_mb = format!("{{\"blob\":\"{}\"}}", "x".repeat(7 * 1024 * 1024));
    let refused = invoke(
        &ctx,
        &local,
        &request(&name, &seven_mb, InvocationType::RequestResponse),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::LimitExceeded);
    assert_eq!(refused.field.as_deref(), Some("payload"));

    let three_hundred_kb = format!("{{\"blob\":\"{}\"}}", "x".repeat(300 * 1024));
    let refused = invoke(
        &ctx,
        &local,
        &request(&name, &three_hundred_kb, InvocationType::Event),
    )
    .await
    .unwrap_err();
    assert!(refused.message.contains("256 KB"), "{}", refused.message);

    let broken = invoke(
        &ctx,
        &local,
        &request(&name, "{\"key1\": ", InvocationType::RequestResponse),
    )
    .await
    .unwrap_err();
    assert_eq!(broken.kind, ErrorKind::Validation);

    assert!(log_messages(&ctx, &name).await.is_empty(), "nothing ran");
    assert_eq!(metric_sum(&ctx, &name, "Invocations").await, 0.0);
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn on_any_other_profile_invoke_is_lambdas_own() {
    let keys = common::keys_of_account("210987654321").await;
    let access = lambdesk_core::aws::Access::Keys {
        keys,
        endpoint_url: Some(common::sandbox_url()),
    };
    let ctx = lambdesk_core::build_context("keys-profile", &access, "us-east-1")
        .await
        .unwrap();
    assert!(!ctx.runs_code_locally);
    let name = common::unique_name("remote");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let data = temp_dir("remote");
    let local = LocalLambda::new(&data);

    let result = invoke(
        &ctx,
        &local,
        &request(
            &name,
            r#"{"from":"the caller"}"#,
            InvocationType::RequestResponse,
        ),
    )
    .await
    .unwrap();

    assert!(!result.ran_locally, "Lambda ran it, not this machine");
    assert_eq!(result.status_code, 200);
    // The sandbox's own Invoke runs nothing and echoes the event: that is how this test knows
    // the call went to the endpoint.
    assert_eq!(result.payload, r#"{"from":"the caller"}"#);
    assert!(
        !local.code().holds(&code_sha256(&ctx, &name).await),
        "nothing was downloaded"
    );

    let here = run_locally(&ctx, &local, &name, "{}").await.unwrap();
    assert_eq!(
        here.payload, "\"Hello World\"",
        "Run locally runs the real code"
    );
    assert!(here.ran_locally);
    local.stop_all().await;
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn ten_events_are_saved_per_function_and_the_eleventh_is_refused() {
    use lambdesk_core::test_events::{SavedEvent, TestEventStore};
    let ctx = common::sandbox_context().await;
    let data = temp_dir("events");
    let store = TestEventStore::new(&data);
    let function = common::unique_name("events");
    let event = |name: &str| SavedEvent {
        name: name.to_owned(),
        body: HELLO_EVENT.to_owned(),
    };

    for index in 0..10 {
        store
            .save(&ctx, &function, event(&format!("event-{index}")))
            .unwrap();
    }
    let refused = store.save(&ctx, &function, event("event-10")).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::LimitExceeded);
    assert_eq!(refused.field.as_deref(), Some("eventName"));
    assert!(
        refused.message.contains("10 saved events"),
        "{}",
        refused.message
    );

    let replaced = store
        .save(
            &ctx,
            &function,
            SavedEvent {
                name: "event-3".to_owned(),
                body: "{\"changed\": true}".to_owned(),
            },
        )
        .unwrap();
    assert_eq!(
        replaced.events.len(),
        10,
        "saving under a used name replaces that event"
    );
    assert_eq!(replaced.events[3].body, "{\"changed\": true}");
    let broken = store
        .save(
            &ctx,
            &function,
            SavedEvent {
                name: "broken".into(),
                body: "{".into(),
            },
        )
        .unwrap_err();
    assert_eq!(broken.field.as_deref(), Some("payload"));

    let after_delete = store.delete(&ctx, &function, "event-0").unwrap();
    assert_eq!(after_delete.events.len(), 9);
    store.save(&ctx, &function, event("event-10")).unwrap();
    let listed = store.list(&ctx, &function).unwrap();
    assert_eq!(listed.events.len(), 10);
    assert_eq!(listed.context, ctx.tag());
    assert!(
        store.list(&ctx, "../../etc/passwd").is_err(),
        "a name is never a path"
    );
    assert!(
        store
            .list(&ctx, &common::unique_name("other"))
            .unwrap()
            .events
            .is_empty()
    );
    std::fs::remove_dir_all(&data).unwrap();
}
