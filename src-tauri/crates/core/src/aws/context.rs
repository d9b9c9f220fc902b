//! `AwsContext`: the profile, region, account and SDK configuration one operation runs under. It is
//! passed to every call explicitly, so no call can pick up another account's credentials.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, Endpoint};
use crate::profiles::{Profile, ProfileSource};

/// A connection that is refused or never opens should fail fast, so the UI can say so and offer
/// Retry instead of spinning.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// The static keys the sandbox accepts; it checks none, and they are not secret.
const SANDBOX_ACCESS_KEY_ID: &str = "testing";
const SANDBOX_SECRET_ACCESS_KEY: &str = "testing";

#[derive(Debug, Clone)]
pub struct AwsContext {
    pub profile_id: String,
    pub region: String,
    pub account_id: String,
    pub endpoint_url: Option<String>,
    pub sdk_config: SdkConfig,
}

/// Which account and region a result belongs to: every result sent to the UI carries one, so the UI
/// can drop a result that arrives after the user switched elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextTag {
    pub profile_id: String,
    pub region: String,
    pub account_id: String,
}

impl AwsContext {
    pub fn tag(&self) -> ContextTag {
        ContextTag {
            profile_id: self.profile_id.clone(),
            region: self.region.clone(),
            account_id: self.account_id.clone(),
        }
    }

    /// Where this context's requests go, for error messages and hints.
    pub fn endpoint(&self) -> Endpoint {
        endpoint_of(self.endpoint_url.as_deref(), &self.region)
    }
}

fn endpoint_of(endpoint_url: Option<&str>, region: &str) -> Endpoint {
    match endpoint_url {
        Some(url) => Endpoint::Sandbox {
            url: url.to_owned(),
        },
        None => Endpoint::Aws {
            region: region.to_owned(),
        },
    }
}

/// The one function that builds an `AwsContext`: SDK configuration for the profile and region,
/// then the account id from STS, which also proves the credentials and the endpoint work.
pub async fn build_context(profile: &Profile, region: &str) -> Result<AwsContext, AppError> {
    let sdk_config = sdk_config(profile, region).await;
    let endpoint_url = sdk_config.endpoint_url().map(str::to_owned);
    let identity = aws_sdk_sts::Client::new(&sdk_config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(
                err,
                "identify the account",
                &endpoint_of(endpoint_url.as_deref(), region),
            )
        })?;
    let account_id = identity.account().unwrap_or_default().to_owned();
    tracing::debug!(profile = %profile.id, region, account_id, "built AWS context");

    Ok(AwsContext {
        profile_id: profile.id.clone(),
        region: region.to_owned(),
        account_id,
        endpoint_url,
        sdk_config,
    })
}

/// The SDK configuration of a profile in a region, with no request made yet.
pub async fn sdk_config(profile: &Profile, region: &str) -> SdkConfig {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    let loader = match &profile.source {
        ProfileSource::Sandbox { endpoint_url } => loader
            .endpoint_url(endpoint_url)
            .credentials_provider(Credentials::new(
                SANDBOX_ACCESS_KEY_ID,
                SANDBOX_SECRET_ACCESS_KEY,
                None,
                None,
                "lambdesk-sandbox",
            ))
            // The sandbox is local: a retry only turns its plain errors into misleading ones.
            .retry_config(RetryConfig::disabled()),
    };
    loader.load().await
}
