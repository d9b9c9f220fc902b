//! IAM propagation: a role made seconds ago is not yet usable by Lambda, which then refuses the
//! function with an InvalidParameterValueException ("cannot be assumed", "does not have
//! permissions to call CreateNetworkInterface"). AWS advises trying again. The retry is the
//! SDK's own, so the request (and its package) is sent again as it was, never rebuilt or copied.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_sdk_lambda::operation::create_function::CreateFunctionError;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::{ErrorKind, RetryConfig};
use tokio::sync::mpsc::UnboundedSender;

/// The pause between tries, and how many tries in all: about a minute, which is how long IAM
/// takes at worst in practice.
pub const PAUSE: Duration = Duration::from_secs(3);
pub const TRIES: u32 = 20;

/// Whether Lambda's answer says the new role has not reached it yet. `checked` lists the actions
/// the new role's policies grant and Lambda checks (see `checkedByLambda` in the policy
/// templates); a missing permission the role was never given is the user's to fix, not retried.
pub fn not_propagated(code: Option<&str>, message: Option<&str>, checked: &[String]) -> bool {
    let (Some("InvalidParameterValueException"), Some(message)) = (code, message) else {
        return false;
    };
    if message.contains("cannot be assumed") {
        return true;
    }
    message
        .split_once("does not have permissions to call ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|action| checked.iter().any(|granted| granted == action))
}

/// The retry settings of a CreateFunction with a new role.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(TRIES)
        .with_initial_backoff(PAUSE)
        .with_max_backoff(PAUSE)
        .with_use_static_exponential_base(true)
}

/// Retries CreateFunction while the new role propagates, telling the user each time; any other
/// failure is not retried, so a create whose answer was lost is looked up, never sent twice.
#[derive(Debug)]
pub struct PropagationRetry {
    checked: Vec<String>,
    retries: AtomicU32,
    notices: UnboundedSender<String>,
}

impl PropagationRetry {
    pub fn new(checked: Vec<String>, notices: UnboundedSender<String>) -> Self {
        Self {
            checked,
            retries: AtomicU32::new(0),
            notices,
        }
    }
}

impl ClassifyRetry for PropagationRetry {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(failure)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let error = failure
            .as_operation_error()
            .and_then(|error| error.downcast_ref::<CreateFunctionError>());
        match error {
            Some(error) if not_propagated(error.code(), error.message(), &self.checked) => {
                let retry = self.retries.fetch_add(1, Ordering::Relaxed) + 1;
                let notice = format!(
                    "The new role is not usable by Lambda yet (IAM takes a few seconds); trying again in {} s, try {} of {TRIES}.",
                    PAUSE.as_secs(),
                    retry + 1
                );
                // The receiver is gone only when the step stopped listening; the retry goes on.
                let _ = self.notices.send(notice);
                RetryAction::retryable_error_with_explicit_delay(ErrorKind::TransientError, PAUSE)
            }
            _ => RetryAction::RetryForbidden,
        }
    }

    fn name(&self) -> &'static str {
        "IAM propagation"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(actions: &[&str]) -> Vec<String> {
        actions.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn propagation_messages_are_told_from_wrong_policies() {
        let code = Some("InvalidParameterValueException");
        let vpc = checked(&["CreateNetworkInterface", "DescribeNetworkInterfaces"]);
        assert!(not_propagated(
            code,
            Some("The role defined for the function cannot be assumed by Lambda."),
            &[]
        ));
        assert!(not_propagated(
            code,
            Some(
                "The provided execution role does not have permissions to call CreateNetworkInterface on EC2"
            ),
            &vpc
        ));
        assert!(not_propagated(
            code,
            Some(
                "The provided execution role does not have permissions to call SendMessage on SQS"
            ),
            &checked(&["SendMessage"])
        ));
        assert!(
            !not_propagated(
                code,
                Some(
                    "The provided execution role does not have permissions to call SendMessage on SQS"
                ),
                &vpc
            ),
            "a permission the new role was never given is not propagation"
        );
        assert!(!not_propagated(
            code,
            Some("Unzipped size must be smaller than 262144000 bytes"),
            &vpc
        ));
        assert!(!not_propagated(
            Some("ResourceConflictException"),
            Some("cannot be assumed"),
            &vpc
        ));
    }
}
