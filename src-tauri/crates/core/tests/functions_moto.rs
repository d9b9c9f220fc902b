//! Listing functions through lambdesk-core against a real moto server, and what the user gets when
//! the endpoint is down.

mod common;

use std::time::Duration;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{FunctionCode, Runtime};
use lambdesk_core::profiles::{SANDBOX_PROFILE_ID, SANDBOX_REGION};
use lambdesk_core::{AwsContext, ContextTag, ErrorKind};

/// A bound on how long a down endpoint may take to fail, so a hang fails the test instead of
/// stalling the run; the point is a prompt Network error, not a speed figure.
const DOWN_ENDPOINT_BOUND: Duration = Duration::from_secs(10);

#[tokio::test]
async fn lists_the_functions_created_through_the_sdk() {
    let ctx = common::sandbox_context().await;
    let role = common::lambda_role(&ctx).await;
    let lambda = ctx.lambda();
    let wanted = [
        (common::unique_name("list-c"), Runtime::Python312, 256),
        (common::unique_name("list-a"), Runtime::Nodejs20x, 128),
        (common::unique_name("list-b"), Runtime::Java21, 1024),
    ];
    for (name, runtime, memory) in &wanted {
        lambda
            .create_function()
            .function_name(name)
            .runtime(runtime.clone())
            .role(&role)
            .handler("lambda_function.lambda_handler")
            .memory_size(*memory)
            .code(
                FunctionCode::builder()
                    .zip_file(Blob::new(common::python_package()))
                    .build(),
            )
            .send()
            .await
            .expect("create function");
    }

    let list = lambdesk_core::lambda::list_functions(&ctx)
        .await
        .expect("list functions");

    assert_eq!(list.context, ctx.tag());
    assert_eq!(list.context.account_id, "123456789012");
    for (name, runtime, memory) in &wanted {
        let listed = list
            .functions
            .iter()
            .find(|function| &function.name == name)
            .unwrap_or_else(|| panic!("{name} is not in the list"));
        assert_eq!(listed.runtime.as_deref(), Some(runtime.as_str()));
        assert_eq!(listed.memory_mb, Some(*memory));
        assert!(listed.arn.ends_with(&format!(":function:{name}")));
        assert!(listed.last_modified.is_some());
    }
    let names: Vec<_> = list.functions.iter().map(|f| f.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "the list is sorted by name");
}

/// An address on which nothing listens: bound, then released.
fn dead_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_stopped_sandbox_is_a_network_error_that_says_how_to_start_one() {
    let url = dead_endpoint();
    let outcome = tokio::time::timeout(
        DOWN_ENDPOINT_BOUND,
        lambdesk_core::build_context(
            SANDBOX_PROFILE_ID,
            &common::sandbox_access(&url),
            SANDBOX_REGION,
        ),
    )
    .await
    .expect("a down endpoint fails promptly instead of hanging");

    let error = outcome.expect_err("no context without an endpoint");
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(error.message.contains(&url), "{}", error.message);
    assert!(error.hint.as_deref().unwrap_or("").contains("make sandbox"));
}

#[tokio::test]
async fn listing_on_a_context_whose_endpoint_went_down_is_a_network_error() {
    let url = dead_endpoint();
    let tag = ContextTag {
        profile_id: SANDBOX_PROFILE_ID.to_owned(),
        region: SANDBOX_REGION.to_owned(),
        account_id: "123456789012".to_owned(),
    };
    let sdk_config =
        lambdesk_core::aws::sdk_config(&common::sandbox_access(&url), SANDBOX_REGION).await;
    let ctx = AwsContext::new(tag, Some(url.clone()), true, sdk_config);

    let error = tokio::time::timeout(
        DOWN_ENDPOINT_BOUND,
        lambdesk_core::lambda::list_functions(&ctx),
    )
    .await
    .expect("a down endpoint fails promptly instead of hanging")
    .expect_err("nothing to list from a down endpoint");
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(
        error.message.starts_with("Could not list functions"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn every_region_is_listed_with_its_own_functions() {
    let url = common::sandbox_url();
    let open = |region: String| {
        let url = url.clone();
        async move {
            lambdesk_core::build_context(SANDBOX_PROFILE_ID, &common::sandbox_access(&url), &region)
                .await
        }
    };
    let (east, west) = (
        open("us-east-1".into()).await.unwrap(),
        open("eu-west-1".into()).await.unwrap(),
    );
    let (in_east, in_west) = (common::unique_name("east"), common::unique_name("west"));
    common::create_functions(&east, std::slice::from_ref(&in_east)).await;
    common::create_functions(&west, std::slice::from_ref(&in_west)).await;

    let regions: Vec<String> = lambdesk_core::aws::regions()
        .into_iter()
        .map(|region| region.code)
        .collect();
    let mut told = 0;
    let everywhere =
        lambdesk_core::lambda::list_functions_everywhere(regions.clone(), open, |_| told += 1)
            .await;

    assert_eq!(told, regions.len());
    assert_eq!(everywhere.len(), regions.len());
    let names_in = |region: &str| -> Vec<String> {
        let listed = everywhere.iter().find(|r| r.region == region).unwrap();
        assert_eq!(listed.error, None, "{region}");
        let list = listed.list.as_ref().unwrap();
        assert_eq!(list.context.region, region);
        list.functions.iter().map(|f| f.name.clone()).collect()
    };
    assert!(names_in("us-east-1").contains(&in_east));
    assert!(!names_in("us-east-1").contains(&in_west));
    assert!(names_in("eu-west-1").contains(&in_west));
    assert!(!names_in("eu-west-1").contains(&in_east));
}
