//! DynamoDB, as triggers need it: the region's table streams to pick a source from.

use crate::aws::AwsContext;
use crate::error::AppError;

/// The ARN of every table stream in the region.
pub async fn stream_arns(ctx: &AwsContext) -> Result<Vec<String>, AppError> {
    let client = ctx.dynamodb_streams();
    let doing = "list the DynamoDB streams";
    let mut arns = Vec::new();
    let mut start = None;
    loop {
        let page = client
            .list_streams()
            .set_exclusive_start_stream_arn(start)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, doing, &ctx.endpoint()))?;
        arns.extend(
            page.streams()
                .iter()
                .filter_map(|s| s.stream_arn().map(str::to_owned)),
        );
        start = page.last_evaluated_stream_arn().map(str::to_owned);
        if start.is_none() {
            break;
        }
    }
    arns.sort();
    Ok(arns)
}
