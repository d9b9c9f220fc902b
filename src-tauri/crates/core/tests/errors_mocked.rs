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

/// CreateFunction refused once with `message`, then accepted; the spec's new role grants
/// `grants`. Returns the outcome, how many requests were made, and what the user was told.
async fn create_refused_once_with(
    message: &str,
    grants: &[&str],
) -> (Result<(), lambdesk_core::AppError>, usize, Vec<String>) {
    use aws_sdk_lambda::operation::create_function::{CreateFunctionError, CreateFunctionOutput};
    let message = message.to_owned();
    let rule = mock!(aws_sdk_lambda::Client::create_function)
        .sequence()
        .error(move || {
            CreateFunctionError::generic(
                ErrorMetadata::builder()
                    .code("InvalidParameterValueException")
                    .message(&message)
                    .build(),
            )
        })
        .output(|| {
            CreateFunctionOutput::builder()
                .function_name("hello")
                .build()
        })
        .build();
    let lambda = mock_client!(aws_sdk_lambda, [&rule]);
    let package = std::env::temp_dir().join(format!(
        "lambdesk-mocked-{}-{}.zip",
        std::process::id(),
        grants.join("-")
    ));
    std::fs::write(&package, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
    let spec = lambdesk_core::lambda::FunctionSpec {
        name: "hello".into(),
        runtime: "python3.13".into(),
        handler: "lambda_function.lambda_handler".into(),
        role_arn: "arn:aws:iam::123456789012:role/hello-role".into(),
        role_is_new: true,
        role_grants: grants.iter().map(|g| (*g).to_owned()).collect(),
        architecture: lambdesk_core::lambda::Architecture::X86_64,
        description: String::new(),
        code: lambdesk_core::lambda::FunctionCode::ZipFile {
            path: package.clone(),
        },
        memory_mb: 128,
        timeout_seconds: 3,
        ephemeral_mb: 512,
        environment: Vec::new(),
        tags: Vec::new(),
        owner_token: "0a1b2c3d".into(),
        dead_letter_arn: Some("arn:aws:sqs:eu-west-1:123456789012:dlq".into()),
        subnet_ids: Vec::new(),
        security_group_ids: Vec::new(),
        keep_copy: None,
    };
    let told = std::sync::Mutex::new(Vec::new());
    let result = lambdesk_core::lambda::send_create(
        &lambda,
        &spec,
        &Endpoint::Aws {
            region: "eu-west-1".into(),
        },
        &|notice| told.lock().unwrap().push(notice),
    )
    .await
    .map(drop);
    std::fs::remove_file(package).unwrap();
    (result, rule.num_calls(), told.into_inner().unwrap())
}

#[tokio::test]
async fn a_permission_the_new_role_grants_is_retried_while_it_propagates() {
    let (result, calls, told) = create_refused_once_with(
        "The provided execution role does not have permissions to call SendMessage on SQS",
        &["SendMessage"],
    )
    .await;
    result.expect("the second try succeeds");
    assert_eq!(calls, 2);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("not usable by Lambda yet"), "{told:?}");
}

#[tokio::test]
async fn a_permission_the_role_was_never_given_is_not_retried() {
    let (result, calls, told) = create_refused_once_with(
        "The provided execution role does not have permissions to call SendMessage on SQS",
        &["CreateNetworkInterface"],
    )
    .await;
    let error = result.expect_err("a wrong policy is the user's to fix");
    assert_eq!(error.kind, ErrorKind::Validation);
    assert!(error.message.contains("SendMessage"), "{}", error.message);
    assert_eq!(calls, 1);
    assert!(told.is_empty(), "{told:?}");
}
