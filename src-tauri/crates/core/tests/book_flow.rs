//! The book's flow made four ways leaves the same account: Lambdesk's plans, the `aws` CLI script
//! those plans print (run by the real CLI), and the plans' steps called with no runner around them,
//! with and without the runner's checks.
//! This holds the CLI text to doing what Review says, and the `cli_flow` bench to comparing like
//! with like.

// The bench reads the timings; this test reads what the runs made.
#[allow(dead_code)]
#[path = "../benches/support/book_flow.rs"]
mod book_flow;

use book_flow::{Sandbox, Way};

#[tokio::test]
async fn the_plans_their_cli_script_and_their_direct_calls_make_the_same_account() {
    let sandbox = Sandbox::start("book-flow");
    let ctx = sandbox.context().await;
    let mut accounts = Vec::new();
    for way in [Way::Plans, Way::Cli, Way::DirectCalls, Way::CheckedCalls] {
        sandbox.reset().await;
        let data =
            std::env::temp_dir().join(format!("lambdesk-book-flow-{way:?}-{}", std::process::id()));
        book_flow::run(&ctx, &data, way).await;
        accounts.push(book_flow::account(&ctx).await);
        std::fs::remove_dir_all(&data).unwrap();
    }
    let made = accounts[0].join("\n");
    for expected in [
        "role hello-book-role at / trusting {\"Service\":\"lambda.amazonaws.com\"} with [\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"]",
        "function hello-book Some(Python313) lambda_function.lambda_handler role arn:aws:iam::123456789012:role/hello-book-role",
        "rule hello-book-every-minute rate(1 minute) Some(Enabled)",
        "permission on hello-book: \"Allow\" {\"Service\":\"events.amazonaws.com\"}",
        "permission on hello-book: \"Allow\" {\"Service\":\"apigateway.amazonaws.com\"}",
        "api hello-book-api /hello ANY auth Some(\"NONE\")",
        "api hello-book-api stage prod",
    ] {
        assert!(made.contains(expected), "no {expected} in:\n{made}");
    }
    assert_eq!(
        accounts[1], accounts[0],
        "the CLI script made another account"
    );
    assert_eq!(
        accounts[2], accounts[0],
        "the direct calls made another account"
    );
    assert_eq!(
        accounts[3], accounts[0],
        "the checked calls made another account"
    );
}
