//! CloudWatch metrics: the local Lambda puts the figures Lambda publishes for every invocation
//! (`AWS/Lambda`, by `FunctionName`), so the sandbox's charts show real runs.

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};

use crate::aws::AwsContext;
use crate::error::AppError;

pub const LAMBDA_NAMESPACE: &str = "AWS/Lambda";

/// Invocations, Errors, Duration and Throttles of one invocation.
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
    aws_sdk_cloudwatch::Client::new(&ctx.sdk_config)
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
