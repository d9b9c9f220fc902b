//! The one error type that crosses IPC: every failure becomes an `AppError` with a kind the UI can
//! act on, a message saying what went wrong, a hint saying what to do, and the field to highlight.

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What sort of failure this is; the UI chooses its wording and actions (Retry, re-login) from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ErrorKind {
    Validation,
    NotFound,
    Conflict,
    AccessDenied,
    AuthExpired,
    Throttled,
    Network,
    Keyring,
    LimitExceeded,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    /// The input field the error is about, so the UI can highlight it.
    pub field: Option<String>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            hint: None,
            field: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Classifies an SDK failure once, for every service. `doing` completes "Could not …", and
    /// `endpoint` names where the request went, so a network hint can point at the right server.
    pub fn from_sdk<E, R>(err: SdkError<E, R>, doing: &str, endpoint: &Endpoint) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + 'static,
    {
        if let Some(failure) = credentials_failure(&err) {
            return Self::new(
                ErrorKind::AuthExpired,
                format!(
                    "Could not {doing}: the profile's credentials could not be loaded ({failure})."
                ),
            )
            .with_hint(
                "Check the profile's credentials, renew them if they expire, then press Retry.",
            );
        }
        match &err {
            SdkError::TimeoutError(_) => Self::new(
                ErrorKind::Network,
                format!(
                    "Could not {doing}: {} did not answer in time.",
                    endpoint.describe()
                ),
            )
            .with_hint(endpoint.network_hint()),
            SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
                Self::new(
                    ErrorKind::Network,
                    format!(
                        "Could not {doing}: {} is not answering.",
                        endpoint.describe()
                    ),
                )
                .with_hint(endpoint.network_hint())
            }
            SdkError::DispatchFailure(_) => Self::new(
                ErrorKind::Network,
                format!(
                    "Could not {doing}: the request to {} failed ({}).",
                    endpoint.describe(),
                    error_chain(&err)
                ),
            )
            .with_hint(endpoint.network_hint()),
            SdkError::ServiceError(_) => {
                let code = err.code().unwrap_or("");
                let detail = err.message().unwrap_or(code);
                let kind = kind_of_code(code);
                let message = if detail.is_empty() {
                    format!("Could not {doing}.")
                } else {
                    format!("Could not {doing}: {detail}")
                };
                let error = Self::new(kind, message);
                match hint_for(kind, code) {
                    Some(hint) => error.with_hint(hint),
                    None => error,
                }
            }
            _ => Self::new(
                ErrorKind::Unknown,
                format!("Could not {doing}: {}", error_chain(&err)),
            ),
        }
    }
}

/// A deletion whose resource is already gone counts as done.
pub fn gone_is_removed(result: Result<(), AppError>) -> Result<(), AppError> {
    match result {
        Err(error) if error.kind == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Where a request was sent: the hint for an unreachable endpoint depends on whether it is the
/// local sandbox (start it) or AWS itself (check the network).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Aws { region: String },
    Sandbox { url: String },
}

impl Endpoint {
    fn describe(&self) -> String {
        match self {
            Endpoint::Aws { region } => format!("AWS in {region}"),
            Endpoint::Sandbox { url } => format!("the local sandbox at {url}"),
        }
    }

    fn network_hint(&self) -> String {
        match self {
            Endpoint::Aws { .. } => {
                "Check your internet connection, VPN or proxy, then press Retry.".to_owned()
            }
            Endpoint::Sandbox { url } => format!(
                "Press Start the sandbox on the Functions page and Lambdesk runs one itself. Or start \
                 one with `make sandbox` in the Lambdesk folder (or `make run`), or point \
                 `LAMBDESK_SANDBOX_URL` at a running one (now {url}), then press Retry."
            ),
        }
    }
}

fn kind_of_code(code: &str) -> ErrorKind {
    match code {
        "ResourceNotFoundException"
        | "NoSuchEntity"
        | "NotFoundException"
        | "NoSuchBucket"
        | "NoSuchKey"
        | "QueueDoesNotExist"
        | "AWS.SimpleQueueService.NonExistentQueue" => ErrorKind::NotFound,
        "ResourceConflictException"
        | "EntityAlreadyExists"
        | "ConflictException"
        | "ResourceInUseException"
        | "ResourceAlreadyExistsException"
        | "BucketAlreadyOwnedByYou"
        | "BucketAlreadyExists"
        | "DeleteConflict" => ErrorKind::Conflict,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "InvalidAccessKeyId" => ErrorKind::AccessDenied,
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => ErrorKind::AuthExpired,
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "SlowDown" => ErrorKind::Throttled,
        "LimitExceeded"
        | "LimitExceededException"
        | "ServiceQuotaExceededException"
        | "CodeStorageExceededException"
        | "RequestEntityTooLargeException" => ErrorKind::LimitExceeded,
        "ValidationException"
        | "ValidationError"
        | "InvalidParameterValueException"
        | "InvalidParameterValue"
        | "InvalidParameterCombination"
        | "MalformedPolicyDocument"
        | "BadRequestException" => ErrorKind::Validation,
        _ => ErrorKind::Unknown,
    }
}

fn hint_for(kind: ErrorKind, code: &str) -> Option<&'static str> {
    Some(match (kind, code) {
        (
            ErrorKind::AccessDenied,
            "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "SignatureDoesNotMatch"
            | "InvalidAccessKeyId",
        ) => {
            "AWS rejected this profile's keys: check the access key id and secret, or create new keys in IAM."
        }
        (ErrorKind::AccessDenied, _) => {
            "This identity lacks the IAM permission for this action: ask an administrator to grant it."
        }
        (ErrorKind::AuthExpired, _) => {
            "The session has expired: renew it (for SSO run `aws sso login`) and press Retry."
        }
        (ErrorKind::Throttled, _) => {
            "AWS is limiting the request rate: wait a moment and press Retry."
        }
        (ErrorKind::LimitExceeded, _) => {
            "An account quota was reached: free some resources or ask AWS to raise the quota."
        }
        (ErrorKind::Conflict, "BucketAlreadyExists") => {
            "Bucket names are global and another AWS account has this one: choose another name."
        }
        (ErrorKind::Conflict, "BucketAlreadyOwnedByYou") => {
            "You own this bucket already: choose it from your buckets instead of creating it."
        }
        (ErrorKind::NotFound, _) => {
            "It may have been deleted, or it lives in another account or region."
        }
        _ => return None,
    })
}

/// The credential provider's own words when signing failed because no credentials could be had
/// (an expired SSO session, a failing credential_process, a role that cannot be assumed).
fn credentials_failure(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = err.source();
    while let Some(cause) = current {
        if cause.downcast_ref::<CredentialsError>().is_some() {
            return Some(error_chain(cause));
        }
        current = cause.source();
    }
    None
}

/// The display text of an error and its sources, for failures no code above describes better.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_codes_map_to_kinds() {
        assert_eq!(
            kind_of_code("ResourceNotFoundException"),
            ErrorKind::NotFound
        );
        assert_eq!(
            kind_of_code("InvalidClientTokenId"),
            ErrorKind::AccessDenied
        );
        assert_eq!(kind_of_code("ExpiredToken"), ErrorKind::AuthExpired);
        assert_eq!(kind_of_code("ThrottlingException"), ErrorKind::Throttled);
        assert_eq!(
            kind_of_code("InvalidParameterValueException"),
            ErrorKind::Validation
        );
        assert_eq!(kind_of_code("SomethingNew"), ErrorKind::Unknown);
        for code in ["BucketAlreadyExists", "BucketAlreadyOwnedByYou"] {
            assert_eq!(kind_of_code(code), ErrorKind::Conflict, "{code}");
            assert!(hint_for(ErrorKind::Conflict, code).is_some(), "{code}");
        }
    }

    #[test]
    fn a_rejected_key_hint_differs_from_a_missing_permission() {
        let rejected = hint_for(ErrorKind::AccessDenied, "InvalidClientTokenId").unwrap();
        let denied = hint_for(ErrorKind::AccessDenied, "AccessDenied").unwrap();
        assert!(rejected.contains("rejected"));
        assert!(denied.contains("permission"));
    }

    #[test]
    fn the_sandbox_hint_says_how_to_start_it() {
        let hint = Endpoint::Sandbox {
            url: "http://127.0.0.1:4566".into(),
        }
        .network_hint();
        assert!(hint.contains("make sandbox"));
        assert!(hint.contains("http://127.0.0.1:4566"));
    }

    #[test]
    fn serialises_in_the_shape_the_ui_reads() {
        let error = AppError::new(ErrorKind::Validation, "Name is too long")
            .with_field("name")
            .with_hint("Use at most 64 characters.");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "Validation",
                "message": "Name is too long",
                "hint": "Use at most 64 characters.",
                "field": "name"
            })
        );
    }
}
