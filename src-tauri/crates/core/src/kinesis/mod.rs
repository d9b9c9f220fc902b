//! Kinesis, as triggers need it: the region's streams to pick a source from.

use crate::aws::AwsContext;
use crate::error::AppError;

/// The ARN of every stream in the region.
pub async fn stream_arns(ctx: &AwsContext) -> Result<Vec<String>, AppError> {
    let client = ctx.kinesis();
    let doing = "list the Kinesis streams";
    let mut arns = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_streams()
            .set_next_token(token)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, doing, &ctx.endpoint()))?;
        arns.extend(
            page.stream_summaries()
                .iter()
                .map(|s| s.stream_arn().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() || !page.has_more_streams() {
            break;
        }
    }
    arns.sort();
    Ok(arns)
}
