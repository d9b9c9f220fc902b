//! `make bench`: listing 1,000 functions, Lambdesk's ListFunctions pages (50 asked for at a time)
//! against `aws lambda list-functions`, which pages by itself, taking turns over five rounds on a
//! sandbox seeded once. moto answers in one page whatever is asked, so this times the listing and
//! its decoding, not the paging (a mocked client tests that). Then every Lambda region at once, the
//! 1,000 in one of them, against a shell loop of `aws lambda list-functions` over the same
//! regions. Writes `target/bench/list_functions.json`.

#[allow(dead_code)]
#[path = "support/book_flow.rs"]
mod book_flow;
// The integration tests' role and package for a test function.
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/figures.rs"]
mod figures;

use std::process::Command;
use std::time::Instant;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{FunctionCode, Runtime};
use figures::{Figure, Samples};
use futures_util::StreamExt;
use lambdesk_core::aws::Access;
use lambdesk_core::profiles::SANDBOX_PROFILE_ID;

const FUNCTIONS: usize = 1_000;
const ROUNDS: usize = 5;
const SEEDED_AT_ONCE: usize = 8;
/// What a user of the CLI would write for every region: `$1` the endpoint, the regions after it.
const CLI_EVERY_REGION: &str = r#"endpoint=$1; shift
for region in "$@"; do
  "$AWS" lambda list-functions --region "$region" --endpoint-url "$endpoint" --query 'length(Functions)' --output text
done"#;
/// moto reads the service and region from the credential scope and checks no signature.
const RAW_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0";

#[tokio::main]
async fn main() {
    let sandbox = book_flow::Sandbox::start("list-bench");
    let ctx = sandbox.context().await;
    let role = common::lambda_role(&ctx).await;
    let lambda = ctx.lambda();
    let package = common::python_package();
    futures_util::stream::iter(0..FUNCTIONS)
        .map(|index| {
            let (lambda, role, package) = (lambda, &role, &package);
            async move {
                lambda
                    .create_function()
                    .function_name(format!("fn-{index:04}"))
                    .runtime(Runtime::Python312)
                    .role(role)
                    .handler("lambda_function.lambda_handler")
                    .code(
                        FunctionCode::builder()
                            .zip_file(Blob::new(package.clone()))
                            .build(),
                    )
                    .send()
                    .await
                    .expect("moto creates the function");
            }
        })
        .buffer_unordered(SEEDED_AT_ONCE)
        .collect::<Vec<()>>()
        .await;

    let (mut ours, mut theirs, mut raw) =
        (Samples::default(), Samples::default(), Samples::default());
    let client = reqwest::Client::new();
    for _ in 0..ROUNDS {
        // The same request with no SDK around it: how long moto itself takes to answer.
        let began = Instant::now();
        client
            .get(format!("{}/2015-03-31/functions/?MaxItems=50", sandbox.url))
            .header("Authorization", RAW_AUTHORIZATION)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("moto answers")
            .bytes()
            .await
            .unwrap();
        raw.push_ms(began.elapsed());

        let began = Instant::now();
        let list = lambdesk_core::lambda::list_functions(&ctx).await.unwrap();
        ours.push_ms(began.elapsed());
        assert_eq!(list.functions.len(), FUNCTIONS);

        let began = Instant::now();
        let output = Command::new(book_flow::aws_cli())
            .args([
                "lambda",
                "list-functions",
                "--query",
                "length(Functions)",
                "--output",
                "text",
            ])
            .args(["--region", &ctx.region, "--endpoint-url", &sandbox.url])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .output()
            .expect("the aws CLI runs");
        theirs.push_ms(began.elapsed());
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            FUNCTIONS.to_string()
        );
    }
    let regions: Vec<String> = lambdesk_core::aws::regions()
        .into_iter()
        .map(|region| region.code)
        .collect();
    let access = Access::Sandbox {
        endpoint_url: sandbox.url.clone(),
    };
    let (mut everywhere, mut looped) = (Samples::default(), Samples::default());
    for _ in 0..ROUNDS {
        let began = Instant::now();
        let listed =
            lambdesk_core::lambda::list_functions_everywhere(
                regions.clone(),
                |region| {
                    let access = &access;
                    async move {
                        lambdesk_core::build_context(SANDBOX_PROFILE_ID, access, &region).await
                    }
                },
                |_| {},
            )
            .await;
        everywhere.push_ms(began.elapsed());
        let found: usize = listed
            .iter()
            .map(|region| {
                assert!(region.error.is_none(), "{} failed", region.region);
                region.list.as_ref().map_or(0, |list| list.functions.len())
            })
            .sum();
        assert_eq!(found, FUNCTIONS);

        let began = Instant::now();
        let output = Command::new("bash")
            .args(["-c", CLI_EVERY_REGION, "bash", &sandbox.url])
            .args(&regions)
            .env("AWS", book_flow::aws_cli())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .output()
            .expect("bash runs the CLI loop");
        looped.push_ms(began.elapsed());
        let counted: usize = String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(|count| count.parse::<usize>().expect("a count per region"))
            .sum();
        assert!(output.status.success(), "the CLI loop failed");
        assert_eq!(counted, FUNCTIONS);
    }

    let how_many = format!("{},{:03} functions", FUNCTIONS / 1000, FUNCTIONS % 1000);
    println!("listing {how_many}, {ROUNDS} rounds, alternating:");
    let figure_name = format!("Listing {how_many} on the sandbox");
    println!("  Lambdesk:                  {}", ours.spread("ms"));
    println!("  aws lambda list-functions: {}", theirs.spread("ms"));
    let figure = Figure {
        name: &figure_name,
        unit: "ms",
        lambdesk: &ours,
        baseline_name: "`aws lambda list-functions` (CLI 1.46.3)",
        baseline: &theirs,
        goal: None,
    };
    println!(
        "  ratio {:.3}x; moto alone (a raw request): {}",
        figure.ratio(),
        raw.spread("ms")
    );
    let everywhere_name = format!(
        "All {} Lambda regions at once, {how_many} in one of them",
        regions.len()
    );
    let across = Figure {
        name: &everywhere_name,
        unit: "ms",
        lambdesk: &everywhere,
        baseline_name: "a shell loop of `aws lambda list-functions`, one region after another",
        baseline: &looped,
        goal: None,
    };
    println!("every region ({}):", regions.len());
    println!(
        "  Lambdesk, {} regions at a time: {}",
        lambdesk_core::lambda::REGIONS_AT_ONCE,
        everywhere.spread("ms")
    );
    println!("  CLI loop:                     {}", looped.spread("ms"));
    println!("  ratio {:.3}x", across.ratio());
    let notes = [
        format!(
            "Listing {how_many} takes Lambdesk {:.0} ms, of which moto's answer to the same request sent raw takes {:.0} ms; the rest is the SDK decoding it and the sort. The CLI adds its start and its JSON output.",
            ours.median(),
            raw.median()
        ),
        format!(
            "All regions: Lambdesk lists {} regions at a time, each with a context of its own as the app makes them; the CLI loop starts the CLI once a region, {:.0} ms a region on average.",
            lambdesk_core::lambda::REGIONS_AT_ONCE,
            looped.median() / regions.len() as f64
        ),
    ];
    figures::write("list_functions", &[figure, across], &notes);
}
