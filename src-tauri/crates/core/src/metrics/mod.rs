//! CloudWatch metrics: the local Lambda puts the figures Lambda publishes for every invocation
//! (`AWS/Lambda`, by `FunctionName`), so the sandbox's charts show real runs; and the Monitor
//! tab's series are read back in one GetMetricData call; the Monitor page's, a few per account.

mod fleet;

use std::collections::HashMap;

use aws_sdk_cloudwatch::types::{
    Dimension, Metric, MetricDataQuery, MetricDatum, MetricStat, StandardUnit,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws::{AwsContext, ContextTag};
use crate::error::AppError;

pub use self::fleet::{
    FleetActivity, FunctionActivity, QUERIES_PER_CALL, fleet_activity, query_batches,
};

pub const LAMBDA_NAMESPACE: &str = "AWS/Lambda";

/// Invocations, Errors, Duration, Throttles and ConcurrentExecutions of one invocation. The local
/// Lambda runs one environment per function and queues its invocations, so a run is always the
/// only one of its function: its concurrency is 1.
pub async fn put_invocation(
    ctx: &AwsContext,
    function_name: &str,
    duration_ms: f64,
    failed: bool,
) -> Result<(), AppError> {
    let dimension = Dimension::builder()
        .name("FunctionName")
        .value(function_name)
        .build();
    let now = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
    let datum = |name: &str, value: f64, unit: StandardUnit| {
        MetricDatum::builder()
            .metric_name(name)
            .dimensions(dimension.clone())
            .timestamp(now)
            .value(value)
            .unit(unit)
            .build()
    };
    ctx.cloudwatch()
        .put_metric_data()
        .namespace(LAMBDA_NAMESPACE)
        .metric_data(datum("Invocations", 1.0, StandardUnit::Count))
        .metric_data(datum(
            "Errors",
            f64::from(u8::from(failed)),
            StandardUnit::Count,
        ))
        .metric_data(datum("Duration", duration_ms, StandardUnit::Milliseconds))
        .metric_data(datum("Throttles", 0.0, StandardUnit::Count))
        .metric_data(datum("ConcurrentExecutions", 1.0, StandardUnit::Count))
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                &format!("record the metrics of {function_name}"),
                &ctx.endpoint(),
            )
        })?;
    Ok(())
}

/// The time ranges the Monitor tab offers, as the console does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum MetricRange {
    OneHour,
    ThreeHours,
    TwelveHours,
    OneDay,
    SevenDays,
}

impl MetricRange {
    pub fn seconds(self) -> i64 {
        match self {
            MetricRange::OneHour => 3_600,
            MetricRange::ThreeHours => 3 * 3_600,
            MetricRange::TwelveHours => 12 * 3_600,
            MetricRange::OneDay => 24 * 3_600,
            MetricRange::SevenDays => 7 * 24 * 3_600,
        }
    }

    /// The period of each point: CloudWatch keeps one-minute points for 15 days, and a period
    /// this size keeps each chart under 300 points, as the console's do.
    pub fn period_seconds(self) -> i32 {
        match self {
            MetricRange::OneHour | MetricRange::ThreeHours => 60,
            MetricRange::TwelveHours | MetricRange::OneDay => 300,
            MetricRange::SevenDays => 3_600,
        }
    }
}

/// The Monitor tab's series, on one time grid: counts are 0 where CloudWatch has no point,
/// durations and concurrency are `None` there (nothing ran, so nothing to average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionMetrics {
    pub context: ContextTag,
    pub function_name: String,
    pub range: MetricRange,
    pub period_seconds: i32,
    /// The start of each period, in UTC milliseconds.
    #[ts(type = "number[]")]
    pub timestamps_ms: Vec<i64>,
    pub invocations: Vec<f64>,
    pub errors: Vec<f64>,
    /// 100 × (1 − errors ÷ invocations), `None` where nothing ran.
    pub success_rate: Vec<Option<f64>>,
    pub duration_average: Vec<Option<f64>>,
    pub duration_maximum: Vec<Option<f64>>,
    pub throttles: Vec<f64>,
    pub concurrent_executions: Vec<Option<f64>>,
}

/// The series the tab draws: its id in the query, the metric and the statistic.
const SERIES: [(&str, &str, &str); 6] = [
    ("invocations", "Invocations", "Sum"),
    ("errors", "Errors", "Sum"),
    ("durationAverage", "Duration", "Average"),
    ("durationMaximum", "Duration", "Maximum"),
    ("throttles", "Throttles", "Sum"),
    ("concurrent", "ConcurrentExecutions", "Maximum"),
];

/// One `AWS/Lambda` metric of one function, as a GetMetricData query named `id`.
fn function_query(
    id: &str,
    function_name: &str,
    metric: &str,
    stat: &str,
    period: i32,
) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace(LAMBDA_NAMESPACE)
                        .metric_name(metric)
                        .dimensions(
                            Dimension::builder()
                                .name("FunctionName")
                                .value(function_name)
                                .build(),
                        )
                        .build(),
                )
                .period(period)
                .stat(stat)
                .build(),
        )
        .build()
}

/// The points of each query (timestamp in UTC milliseconds, value) by the query's id, from one
/// GetMetricData call followed through its pages; `doing` completes "Could not …".
async fn metric_points(
    ctx: &AwsContext,
    queries: Vec<MetricDataQuery>,
    start_ms: i64,
    end_ms: i64,
    doing: &str,
) -> Result<HashMap<String, Vec<(i64, f64)>>, AppError> {
    let client = ctx.cloudwatch();
    let mut points: HashMap<String, Vec<(i64, f64)>> = HashMap::new();
    let mut token = None;
    loop {
        let page = client
            .get_metric_data()
            .start_time(aws_smithy_types::DateTime::from_millis(start_ms))
            .end_time(aws_smithy_types::DateTime::from_millis(end_ms))
            .set_metric_data_queries(Some(queries.clone()))
            .set_next_token(token)
            .send()
            .await
            .map_err(ctx.failed(doing))?;
        for result in page.metric_data_results() {
            points
                .entry(result.id().unwrap_or_default().to_owned())
                .or_default()
                .extend(
                    result
                        .timestamps()
                        .iter()
                        .map(|time| time.to_millis().unwrap_or_default())
                        .zip(result.values().iter().copied()),
                );
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(points);
        }
    }
}

/// Every series of the function over the range, from one GetMetricData call.
pub async fn function_metrics(
    ctx: &AwsContext,
    function_name: &str,
    range: MetricRange,
    now_ms: i64,
) -> Result<FunctionMetrics, AppError> {
    let period = range.period_seconds();
    let period_ms = i64::from(period) * 1000;
    let end_ms = (now_ms / period_ms + 1) * period_ms;
    let start_ms = end_ms - range.seconds() * 1000;
    let queries = SERIES
        .iter()
        .map(|(id, metric, stat)| function_query(id, function_name, metric, stat, period))
        .collect();
    let results = metric_points(
        ctx,
        queries,
        start_ms,
        end_ms,
        &format!("read the metrics of {function_name}"),
    )
    .await?;
    let timestamps_ms: Vec<i64> = (start_ms..end_ms)
        .step_by(usize::try_from(period_ms).unwrap_or(60_000))
        .collect();
    let series = |id: &str| -> Vec<Option<f64>> {
        let mut grid = vec![None; timestamps_ms.len()];
        for (time, value) in results.get(id).into_iter().flatten() {
            let slot = usize::try_from((time - start_ms).div_euclid(period_ms)).ok();
            if let Some(cell) = slot.and_then(|slot| grid.get_mut(slot)) {
                *cell = Some(*value);
            }
        }
        grid
    };
    let counts = |id: &str| {
        series(id)
            .into_iter()
            .map(|v| v.unwrap_or(0.0))
            .collect::<Vec<_>>()
    };
    let invocations = counts("invocations");
    let errors = counts("errors");
    let success_rate = invocations
        .iter()
        .zip(&errors)
        .map(|(runs, failed)| (*runs > 0.0).then(|| 100.0 * (1.0 - (failed / runs).min(1.0))))
        .collect();
    Ok(FunctionMetrics {
        context: ctx.tag(),
        function_name: function_name.to_owned(),
        range,
        period_seconds: period,
        invocations,
        errors,
        success_rate,
        duration_average: series("durationAverage"),
        duration_maximum: series("durationMaximum"),
        throttles: counts("throttles"),
        concurrent_executions: series("concurrent"),
        timestamps_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_range_keeps_its_charts_under_300_points() {
        for range in [
            MetricRange::OneHour,
            MetricRange::ThreeHours,
            MetricRange::TwelveHours,
            MetricRange::OneDay,
            MetricRange::SevenDays,
        ] {
            let points = range.seconds() / i64::from(range.period_seconds());
            assert!((60..=300).contains(&points), "{range:?}: {points}");
        }
    }
}
