//! The Monitor tab's series against a real moto server: metrics seeded with PutMetricData come back
//! on the chart's grid, in the right period, with each series' statistic.

mod common;

use std::time::SystemTime;

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use lambdesk_core::metrics::{MetricRange, function_metrics};

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
    aws_sdk_cloudwatch::Client::new(&ctx.sdk_config)
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
