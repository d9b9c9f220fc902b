//! SigV4 for requests Lambdesk sends itself rather than through an SDK client: "Call it" on an
//! IAM-secured API or function URL.

use super::AwsContext;
use crate::error::{AppError, ErrorKind};

/// The headers that sign a request with the context's credentials (SigV4), for `service`:
/// `execute-api` for an IAM-secured API, `lambda` for an IAM-secured function URL.
pub async fn sign_request(
    ctx: &AwsContext,
    service: &str,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Vec<(String, String)>, AppError> {
    use aws_credential_types::provider::ProvideCredentials;
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let unsigned = |detail: String| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not sign the request: {detail}"),
        )
    };
    let provider = ctx.sdk_config().credentials_provider().ok_or_else(|| {
        AppError::new(
            ErrorKind::AuthExpired,
            "This profile has no credentials to sign with.",
        )
    })?;
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|err| unsigned(err.to_string()))?;
    let identity = credentials.into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&ctx.region)
        .name(service)
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|err| unsigned(err.to_string()))?
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|err| unsigned(err.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|err| unsigned(err.to_string()))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}
