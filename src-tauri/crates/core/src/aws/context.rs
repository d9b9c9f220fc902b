//! `AwsContext`: the profile, region, account, SDK configuration and service clients one operation
//! runs under. It is passed to every call explicitly, so no call can pick up another account's
//! credentials.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, Endpoint, ErrorKind};
use crate::profiles::{AccessKeys, SharedFiles, SharedKind};

/// A connection that is refused or never opens should fail fast, so the UI can say so and offer
/// Retry instead of spinning.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// The uplink a large request body is given time for: about 0.5 Mbit/s, a poor hotel network.
const SLOW_UPLINK_BYTES_PER_SECOND: u64 = 64 * 1024;

/// The static keys the sandbox accepts; it checks none, and they are not secret.
const SANDBOX_ACCESS_KEY_ID: &str = "testing";
const SANDBOX_SECRET_ACCESS_KEY: &str = "testing";

#[derive(Debug, Clone)]
pub struct AwsContext {
    pub profile_id: String,
    pub region: String,
    pub account_id: String,
    pub endpoint_url: Option<String>,
    /// The Local sandbox stores functions but runs none: Lambdesk's local Lambda runs them.
    pub runs_code_locally: bool,
    sdk_config: SdkConfig,
    /// Shared by the context's clones, and built from `sdk_config` only, so a client can never
    /// sign with another context's credentials.
    clients: Arc<ServiceClients>,
}

/// Declares the context's service clients: each is built on its first use and kept, so a
/// context's calls to one service share one pool of connections. A client per call would open a
/// connection per call, which against AWS is a TLS handshake per call.
macro_rules! service_clients {
    ($($service:ident: $client:ty),* $(,)?) => {
        #[derive(Debug, Default)]
        struct ServiceClients {
            $($service: OnceLock<$client>,)*
            s3: OnceLock<aws_sdk_s3::Client>,
        }

        impl AwsContext {
            $(
                pub fn $service(&self) -> &$client {
                    self.clients
                        .$service
                        .get_or_init(|| <$client>::new(&self.sdk_config))
                }
            )*
        }
    };
}

service_clients! {
    apigateway: aws_sdk_apigateway::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
    dynamodb_streams: aws_sdk_dynamodbstreams::Client,
    eventbridge: aws_sdk_eventbridge::Client,
    iam: aws_sdk_iam::Client,
    kinesis: aws_sdk_kinesis::Client,
    lambda: aws_sdk_lambda::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    sqs: aws_sdk_sqs::Client,
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
    /// A context for `tag`'s profile, region and account, whose calls go out with `sdk_config`.
    pub fn new(
        tag: ContextTag,
        endpoint_url: Option<String>,
        runs_code_locally: bool,
        sdk_config: SdkConfig,
    ) -> Self {
        let ContextTag {
            profile_id,
            region,
            account_id,
        } = tag;
        Self {
            profile_id,
            region,
            account_id,
            endpoint_url,
            runs_code_locally,
            sdk_config,
            clients: Arc::default(),
        }
    }

    /// A context that reaches no endpoint, for tests of what is decided before any call.
    #[cfg(test)]
    pub(crate) fn offline(region: &str, account_id: &str, runs_code_locally: bool) -> Self {
        let tag = ContextTag {
            profile_id: "offline".to_owned(),
            region: region.to_owned(),
            account_id: account_id.to_owned(),
        };
        Self::new(tag, None, runs_code_locally, SdkConfig::builder().build())
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.sdk_config
    }

    /// The S3 client, with path-style addressing against an emulator, whose buckets are not DNS
    /// names.
    pub fn s3(&self) -> &aws_sdk_s3::Client {
        self.clients.s3.get_or_init(|| {
            let config = aws_sdk_s3::config::Builder::from(&self.sdk_config)
                .force_path_style(self.endpoint_url.is_some())
                .build();
            aws_sdk_s3::Client::from_conf(config)
        })
    }

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

    /// Turns an SDK failure of a call to this context into an `AppError`; `doing` completes
    /// "Could not …".
    pub fn failed<E, R>(
        &self,
        doing: &str,
    ) -> impl FnOnce(aws_smithy_runtime_api::client::result::SdkError<E, R>) -> AppError + use<E, R>
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let endpoint = self.endpoint();
        let doing = doing.to_owned();
        move |err| AppError::from_sdk(err, &doing, &endpoint)
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

/// What a profile signs its requests with, resolved for one use; it may hold a secret, so it is
/// never logged or sent to the UI.
#[derive(Debug, Clone)]
pub enum Access {
    Sandbox {
        endpoint_url: String,
    },
    Keys {
        keys: AccessKeys,
        endpoint_url: Option<String>,
    },
    Shared {
        profile_name: String,
        kind: SharedKind,
        files: SharedFiles,
    },
}

/// Who a set of credentials belongs to, as STS GetCallerIdentity says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
}

/// The one function that builds an `AwsContext`: SDK configuration for the profile's access and
/// the region, then the account id from STS, which also proves the credentials and endpoint work.
pub async fn build_context(
    profile_id: &str,
    access: &Access,
    region: &str,
) -> Result<AwsContext, AppError> {
    let sdk_config = sdk_config(access, region).await;
    let endpoint_url = sdk_config.endpoint_url().map(str::to_owned);
    let endpoint = endpoint_of(endpoint_url.as_deref(), region);
    let identity = identify(&aws_sdk_sts::Client::new(&sdk_config), &endpoint)
        .await
        .map_err(|error| explain_credentials_failure(error, access))?;
    tracing::debug!(profile = %profile_id, region, account_id = %identity.account_id, "built AWS context");

    let tag = ContextTag {
        profile_id: profile_id.to_owned(),
        region: region.to_owned(),
        account_id: identity.account_id,
    };
    Ok(AwsContext::new(
        tag,
        endpoint_url,
        matches!(access, Access::Sandbox { .. }),
        sdk_config,
    ))
}

/// Checks credentials before they are saved: who they belong to, or why AWS refused them.
pub async fn verify(access: &Access, region: &str) -> Result<CallerIdentity, AppError> {
    let sdk_config = sdk_config(access, region).await;
    let endpoint = endpoint_of(sdk_config.endpoint_url(), region);
    identify(&aws_sdk_sts::Client::new(&sdk_config), &endpoint)
        .await
        .map_err(|error| explain_credentials_failure(error, access))
}

/// STS GetCallerIdentity, which any valid credentials may call.
pub async fn identify(
    sts: &aws_sdk_sts::Client,
    endpoint: &Endpoint,
) -> Result<CallerIdentity, AppError> {
    let identity = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, "identify the account", endpoint))?;
    Ok(CallerIdentity {
        account_id: identity.account().unwrap_or_default().to_owned(),
        arn: identity.arn().unwrap_or_default().to_owned(),
    })
}

/// Expired or unobtainable credentials get the hint of their own kind: new keys for a keys
/// profile, the SSO login to renew, or the role and MFA a shared profile asks for.
fn explain_credentials_failure(error: AppError, access: &Access) -> AppError {
    if error.kind != ErrorKind::AuthExpired {
        return error;
    }
    let (profile_name, kind) = match access {
        Access::Shared {
            profile_name, kind, ..
        } => (profile_name, kind),
        Access::Keys { .. } => {
            return AppError {
                hint: Some(
                    "These temporary keys have expired: get new ones, with their session token, and \
                     enter them in the profile."
                        .to_owned(),
                ),
                ..error
            };
        }
        Access::Sandbox { .. } => return error,
    };
    let hint = match kind {
        SharedKind::Sso => format!(
            "The SSO session of profile \"{profile_name}\" has expired or was never started: run \
             `aws sso login --profile {profile_name}` in a terminal, then press Retry."
        ),
        SharedKind::AssumeRole => format!(
            "Profile \"{profile_name}\" assumes a role: check its source profile's credentials and \
             that the role trusts them. A role that requires MFA needs a session first: run \
             `aws sts get-session-token --serial-number ARN --token-code CODE` and add those \
             temporary keys as a profile."
        ),
        SharedKind::CredentialProcess => format!(
            "Profile \"{profile_name}\" runs a credential_process command: run it in a terminal \
             to see why it fails, then press Retry."
        ),
        _ => format!(
            "Check the credentials of profile \"{profile_name}\" in the AWS config files, then press Retry."
        ),
    };
    AppError {
        kind: ErrorKind::AuthExpired,
        hint: Some(hint),
        ..error
    }
}

/// The timeouts of a request that carries `body_bytes` (an inline package, an upload part): the
/// general 60 s, plus the time a slow uplink takes to send the body. `extra` adds time the
/// operation may spend between attempts (retries while IAM propagates).
pub fn body_timeout(body_bytes: u64) -> TimeoutConfig {
    body_timeout_with(body_bytes, Duration::ZERO)
}

pub fn body_timeout_with(body_bytes: u64, extra: Duration) -> TimeoutConfig {
    let attempt =
        OPERATION_TIMEOUT + Duration::from_secs(body_bytes / SLOW_UPLINK_BYTES_PER_SECOND);
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(attempt)
        .operation_timeout(attempt + extra)
        .build()
}

/// The SDK configuration of a profile's access in a region, with no request made yet.
pub async fn sdk_config(access: &Access, region: &str) -> SdkConfig {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    let loader = match access {
        Access::Sandbox { endpoint_url } => loader
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
        Access::Keys { keys, endpoint_url } => {
            let loader = loader
                .credentials_provider(Credentials::new(
                    &keys.access_key_id,
                    keys.secret_access_key.expose(),
                    keys.session_token
                        .as_ref()
                        .map(|token| token.expose().to_owned()),
                    None,
                    "lambdesk-keyring",
                ))
                .retry_config(RetryConfig::standard());
            match endpoint_url {
                // An emulator is local too, and retries there only blur its errors.
                Some(url) => loader
                    .endpoint_url(url)
                    .retry_config(RetryConfig::disabled()),
                None => loader,
            }
        }
        Access::Shared {
            profile_name,
            files,
            ..
        } => loader
            .profile_files(files.env_config_files())
            .profile_name(profile_name)
            // Explicitly the profile's own provider: the default chain would prefer
            // AWS_ACCESS_KEY_ID from the environment, which may belong to another account.
            .credentials_provider(
                ProfileFileCredentialsProvider::builder()
                    .profile_files(files.env_config_files())
                    .profile_name(profile_name)
                    .build(),
            )
            .retry_config(RetryConfig::standard()),
    };
    loader.load().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_body_gets_time_for_a_slow_uplink() {
        let small = body_timeout(1024);
        assert_eq!(small.operation_timeout(), Some(OPERATION_TIMEOUT));
        let fifty_mb = body_timeout(50 * 1024 * 1024);
        assert_eq!(
            fifty_mb.operation_timeout(),
            Some(OPERATION_TIMEOUT + Duration::from_secs(800))
        );
        let retried = body_timeout_with(1024, Duration::from_secs(60));
        assert_eq!(retried.operation_attempt_timeout(), Some(OPERATION_TIMEOUT));
        assert_eq!(
            retried.operation_timeout(),
            Some(OPERATION_TIMEOUT + Duration::from_secs(60))
        );
    }
}
