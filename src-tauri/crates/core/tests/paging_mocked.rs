//! Listing functions a page at a time. moto answers ListFunctions in one page whatever it is asked,
//! so the paging is checked with `aws-smithy-mocks` behind the real Lambda client: 50 asked for
//! each time, `NextMarker` followed to the end, each page but the last handed on as it arrives, all
//! sorted.

use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
use aws_sdk_lambda::types::FunctionConfiguration;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use lambdesk_core::error::Endpoint;
use lambdesk_core::lambda::{FUNCTIONS_PAGE, function_pages};

/// Functions `numbers`, named so that later pages sort first.
fn page_of(numbers: std::ops::Range<usize>, next: Option<&str>) -> ListFunctionsOutput {
    ListFunctionsOutput::builder()
        .set_functions(Some(
            numbers
                .map(|n| {
                    FunctionConfiguration::builder()
                        .function_name(format!("fn-{:03}", 200 - n))
                        .build()
                })
                .collect(),
        ))
        .set_next_marker(next.map(str::to_owned))
        .build()
}

#[tokio::test]
async fn a_long_list_comes_fifty_at_a_time_each_page_as_it_arrives_then_sorted_whole() {
    let asks_fifty = |marker: Option<&'static str>| {
        move |request: &aws_sdk_lambda::operation::list_functions::ListFunctionsInput| {
            request.max_items() == Some(FUNCTIONS_PAGE) && request.marker() == marker
        }
    };
    let first = mock!(aws_sdk_lambda::Client::list_functions)
        .match_requests(asks_fifty(None))
        .then_output(|| page_of(0..50, Some("after-50")));
    let second = mock!(aws_sdk_lambda::Client::list_functions)
        .match_requests(asks_fifty(Some("after-50")))
        .then_output(|| page_of(50..100, Some("after-100")));
    let last = mock!(aws_sdk_lambda::Client::list_functions)
        .match_requests(asks_fifty(Some("after-100")))
        .then_output(|| page_of(100..107, None));
    let lambda = mock_client!(aws_sdk_lambda, RuleMode::MatchAny, [&first, &second, &last]);

    let mut pages = Vec::new();
    let functions = function_pages(
        &lambda,
        &Endpoint::Aws {
            region: "eu-west-1".into(),
        },
        |page| pages.push(page.len()),
    )
    .await
    .unwrap();
    assert_eq!(
        pages,
        [50, 50],
        "each page that more follow handed on as it came; the last only in the whole list"
    );
    assert_eq!(
        (first.num_calls(), second.num_calls(), last.num_calls()),
        (1, 1, 1)
    );
    assert_eq!(functions.len(), 107);
    assert_eq!(functions.first().unwrap().name, "fn-094");
    assert_eq!(functions.last().unwrap().name, "fn-200");
    assert!(functions.windows(2).all(|pair| pair[0].name < pair[1].name));
}
