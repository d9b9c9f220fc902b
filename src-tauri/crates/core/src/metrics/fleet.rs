//! The Monitor page: every function of the account and region with its invocations, errors and
//! p95 duration over the last 24 hours. Three metrics a function, read with one GetMetricData call
//! per 500 metrics (the call's limit), never one call per function.

use std::collections::HashMap;

use aws_sdk_cloudwatch::types::MetricDataQuery;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{function_query, metric_points};
use crate::aws::{AwsContext, ContextTag};
use crate::error::AppError;
use crate::lambda::{FunctionSummary, list_functions};

/// GetMetricData's limit on the queries of one call.
pub const QUERIES_PER_CALL: usize = 500;
/// The figures read for each function: the query id's letter, the metric and the statistic.
const FIGURES: [(char, &str, &str); 3] = [
    ('i', "Invocations", "Sum"),
    ('e', "Errors", "Sum"),
    ('d', "Duration", "p95"),
];
const FUNCTIONS_PER_CALL: usize = QUERIES_PER_CALL / FIGURES.len();
const DAY_SECONDS: i32 = 86_400;
const HOUR_MS: i64 = 3_600_000;

/// One row of the Monitor page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionActivity {
    pub name: String,
    pub runtime: Option<String>,
    pub invocations: f64,
    pub errors: f64,
    /// `None` when the function did not run in the window.
    pub p95_duration_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FleetActivity {
    pub context: ContextTag,
    pub functions: Vec<FunctionActivity>,
    /// The window, whole hours ending at the next hour, in UTC milliseconds.
    #[ts(type = "number")]
    pub start_ms: i64,
    #[ts(type = "number")]
    pub end_ms: i64,
    /// How many GetMetricData calls the figures took.
    pub metric_calls: u32,
}

/// The queries for the functions, `QUERIES_PER_CALL` at most per batch; the ids name the figure
/// and the function's index (`i0`, `e0`, `d0`, `i1`, …), as GetMetricData wants ids that start
/// with a lower-case letter.
pub fn query_batches(names: &[&str]) -> Vec<Vec<MetricDataQuery>> {
    names
        .chunks(FUNCTIONS_PER_CALL)
        .enumerate()
        .map(|(chunk, names)| {
            names
                .iter()
                .enumerate()
                .flat_map(|(offset, name)| {
                    let index = chunk * FUNCTIONS_PER_CALL + offset;
                    FIGURES.iter().map(move |(letter, metric, stat)| {
                        function_query(&format!("{letter}{index}"), name, metric, stat, DAY_SECONDS)
                    })
                })
                .collect()
        })
        .collect()
}

/// Every function of the context with its figures over the 24 hours up to the next whole hour.
pub async fn fleet_activity(ctx: &AwsContext, now_ms: i64) -> Result<FleetActivity, AppError> {
    let functions = list_functions(ctx).await?.functions;
    let end_ms = (now_ms / HOUR_MS + 1) * HOUR_MS;
    let start_ms = end_ms - i64::from(DAY_SECONDS) * 1000;
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    let mut points = HashMap::new();
    let mut metric_calls = 0;
    for batch in query_batches(&names) {
        metric_calls += 1;
        points.extend(
            metric_points(ctx, batch, start_ms, end_ms, "read the functions' metrics").await?,
        );
    }
    Ok(FleetActivity {
        context: ctx.tag(),
        functions: functions
            .iter()
            .enumerate()
            .map(|(index, function)| activity_of(function, index, &points))
            .collect(),
        start_ms,
        end_ms,
        metric_calls,
    })
}

/// A window CloudWatch splits over two periods gives two points: counts add up, and the larger
/// p95 stands for the day (a percentile of two halves is not theirs to combine).
fn activity_of(
    function: &FunctionSummary,
    index: usize,
    points: &HashMap<String, Vec<(i64, f64)>>,
) -> FunctionActivity {
    let values = |letter: char| {
        points
            .get(&format!("{letter}{index}"))
            .into_iter()
            .flatten()
            .map(|(_, value)| *value)
    };
    FunctionActivity {
        name: function.name.clone(),
        runtime: function.runtime.clone(),
        invocations: values('i').sum(),
        errors: values('e').sum(),
        p95_duration_ms: values('d').reduce(f64::max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_hundred_queries_at_most_per_call_with_ids_getmetricdata_takes() {
        let names: Vec<String> = (0..170).map(|n| format!("function-{n}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let batches = query_batches(&names);
        assert_eq!(
            batches.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![498, 12]
        );
        let ids: Vec<&str> = batches.iter().flatten().filter_map(|q| q.id()).collect();
        assert_eq!(ids.len(), 510);
        assert_eq!(
            ids.iter().collect::<std::collections::HashSet<_>>().len(),
            510
        );
        assert!(ids.iter().all(
            |id| id.starts_with(['i', 'e', 'd']) && id[1..].chars().all(|c| c.is_ascii_digit())
        ));
        let last = batches[1].last().unwrap();
        assert_eq!(last.id(), Some("d169"));
        let stat = last.metric_stat().unwrap();
        assert_eq!(stat.stat(), Some("p95"));
        assert_eq!(stat.period(), Some(DAY_SECONDS));
        let metric = stat.metric().unwrap();
        assert_eq!(metric.metric_name(), Some("Duration"));
        assert_eq!(metric.dimensions()[0].value(), Some("function-169"));
        assert!(query_batches(&[]).is_empty());
    }

    #[test]
    fn a_day_split_over_two_points_adds_counts_and_keeps_the_larger_p95() {
        let function = FunctionSummary {
            name: "f".into(),
            arn: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            runtime: Some("python3.12".into()),
            memory_mb: None,
            last_modified: None,
            description: None,
        };
        let points = HashMap::from([
            ("i3".to_owned(), vec![(0, 4.0), (3_600_000, 6.0)]),
            ("e3".to_owned(), vec![(0, 1.0)]),
            ("d3".to_owned(), vec![(0, 120.0), (3_600_000, 80.0)]),
        ]);
        let row = activity_of(&function, 3, &points);
        assert_eq!(row.invocations, 10.0);
        assert_eq!(row.errors, 1.0);
        assert_eq!(row.p95_duration_ms, Some(120.0));
        let idle = activity_of(&function, 4, &points);
        assert_eq!((idle.invocations, idle.p95_duration_ms), (0.0, None));
    }
}
