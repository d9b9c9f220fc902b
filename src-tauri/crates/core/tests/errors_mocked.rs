//! Errors the sandbox cannot produce (it accepts any key), given by `aws-smithy-mocks` through the
//! real STS client: each must reach the user as the right kind with a hint that helps.

use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
use aws_smithy_mocks::{mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use lambdesk_core::ErrorKind;
use lambdesk_core::error::Endpoint;

async fn identify_failing_with(code: &str, message: &str) -> lambdesk_core::AppError {
    let code = code.to_owned();
    let message = message.to_owned();
    let rule = mock!(aws_sdk_sts::Client::get_caller_identity).then_error(move || {
        GetCallerIdentityError::generic(
            ErrorMetadata::builder()
                .code(&code)
                .message(&message)
                .build(),
        )
    });
    let sts = mock_client!(aws_sdk_sts, [&rule]);
    lambdesk_core::aws::identify(
        &sts,
        &Endpoint::Aws {
            region: "eu-west-1".into(),
        },
    )
    .await
    .expect_err("the mocked call fails")
}

#[tokio::test]
async fn a_rejected_key_says_the_keys_are_wrong() {
    let error = identify_failing_with(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
    .await;
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(
        error
            .message
            .contains("The security token included in the request is invalid")
    );
    let hint = error.hint.unwrap();
    assert!(hint.contains("rejected"), "{hint}");
    assert!(hint.contains("access key id"), "{hint}");
}

#[tokio::test]
async fn an_expired_token_says_to_renew_the_session() {
    let error = identify_failing_with(
        "ExpiredToken",
        "The security token included in the request is expired",
    )
    .await;
    assert_eq!(error.kind, ErrorKind::AuthExpired);
    assert!(error.hint.unwrap().contains("aws sso login"));
}

#[tokio::test]
async fn access_denied_says_which_permission_is_missing() {
    let error = identify_failing_with(
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/ann is not authorized to perform: sts:GetCallerIdentity",
    )
    .await;
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(error.message.contains("sts:GetCallerIdentity"));
    assert!(error.hint.unwrap().contains("IAM permission"));
}
