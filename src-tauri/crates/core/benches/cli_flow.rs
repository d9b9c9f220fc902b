//! `make bench`: the book's flow (role, policy, hello world, invoke, an every-minute schedule, a
//! REST API) as Lambdesk's plans against the `aws` CLI running the script those plans print, and
//! the plan runner against the same SDK calls made directly, the plans' reads included (and,
//! to split the plans' cost, without those reads). One sandbox, reset (and its managed policies
//! loaded) before every run; the four take turns over five rounds, and the plans and the direct
//! calls, with and without the reads, over twenty-five more. Prints medians and ranges and writes
//! `target/bench/cli_flow.json`; asserts nothing but that every run works.

// The bench times the flow; the test of the same module reads what it made.
#[allow(dead_code)]
#[path = "support/book_flow.rs"]
mod book_flow;
#[path = "support/figures.rs"]
mod figures;

use std::process::Command;
use std::time::Instant;

use book_flow::{Sandbox, Way};
use figures::{Figure, Samples};

const ROUNDS: usize = 5;
/// The plan runner and the direct calls differ by a few milliseconds, against a spread of tens
/// between runs of either, and medians of 15 runs moved by 5 ms from one bench to the next, so
/// those three take more turns: a second or so each, not the CLI's ten.
const RUNNER_ROUNDS: usize = 30;

#[tokio::main]
async fn main() {
    let sandbox = Sandbox::start("cli-flow-bench");
    let ctx = sandbox.context().await;
    let data = std::env::temp_dir().join(format!("lambdesk-cli-flow-{}", std::process::id()));
    let ways = [Way::Plans, Way::Cli, Way::DirectCalls, Way::CheckedCalls];
    let mut totals = ways.map(|_| Samples::default());
    let mut executing = ways.map(|_| Samples::default());
    let mut invoking = ways.map(|_| Samples::default());
    let mut commands = 0;
    let mut policies_loading = Samples::default();
    // One unmeasured round first, so that no way pays for the first run's caches.
    for round in 0..=RUNNER_ROUNDS {
        for (index, way) in ways.iter().enumerate() {
            if round > ROUNDS && *way == Way::Cli {
                continue;
            }
            let loading = sandbox.reset().await;
            let _ = std::fs::remove_dir_all(&data);
            let timing = book_flow::run(&ctx, &data, *way).await;
            if *way == Way::Cli {
                commands = cli_commands(&data);
            }
            if round > 0 {
                policies_loading.push_ms(loading);
                totals[index].push_ms(timing.total);
                executing[index].push_ms(timing.executing);
                invoking[index].push_ms(timing.invoking);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&data);

    let mut cli_start = Samples::default();
    for _ in 0..ROUNDS {
        let began = Instant::now();
        let status = Command::new(book_flow::aws_cli())
            .arg("--version")
            .output()
            .expect("the aws CLI runs")
            .status;
        assert!(status.success());
        cli_start.push_ms(began.elapsed());
    }

    let [plans, cli, direct, _] = &totals;
    println!(
        "the book's flow, {ROUNDS} rounds ({RUNNER_ROUNDS} for the plans and the direct calls, with and without the reads), each on a reset sandbox:"
    );
    println!("  Lambdesk's plans:   {}", plans.spread("ms"));
    println!("  aws CLI script:     {}", cli.spread("ms"));
    println!("  SDK calls directly: {}", direct.spread("ms"));
    println!(
        "  of which carrying out the plans: plans {}, directly {}, directly after each check {}",
        executing[0].spread("ms"),
        executing[2].spread("ms"),
        executing[3].spread("ms")
    );
    println!(
        "  invoke: Lambdesk {}, CLI {}",
        invoking[0].spread("ms"),
        invoking[1].spread("ms")
    );
    println!(
        "  one `aws --version`: {}; the CLI flow runs {commands} aws commands",
        cli_start.spread("ms")
    );
    println!(
        "  moto loading IAM's managed policies after each reset, before the run: {}",
        policies_loading.spread("ms")
    );

    let against_cli = Figure {
        name: "The book's flow: role, policy, function, invoke, schedule, REST API",
        unit: "ms",
        lambdesk: plans,
        baseline_name: "the same steps as an `aws` CLI 1.46.3 script",
        baseline: cli,
        goal: Some(0.10),
    };
    let runner = Figure {
        name: "The plan runner over the same SDK calls made directly, the plans' reads included",
        unit: "ms",
        lambdesk: &executing[0],
        baseline_name: "each step's read, where it has one, and calls in turn, no runner",
        baseline: &executing[3],
        goal: Some(1.10),
    };
    let runner_and_reads = Figure {
        name: "The plans over their steps' creating calls alone made directly",
        unit: "ms",
        lambdesk: &executing[0],
        baseline_name: "each step's calls in turn, no read and no runner",
        baseline: &executing[2],
        goal: Some(1.10),
    };
    println!(
        "  ratio to the CLI: {:.3}x (goal 0.10x)",
        against_cli.ratio()
    );
    println!(
        "  plan runner overhead: {:.3}x (goal 1.10x); with the plans' reads: {:.3}x",
        runner.ratio(),
        runner_and_reads.ratio()
    );
    let cli_starts = commands as f64 * cli_start.median();
    let notes = [
        format!(
            "The CLI script runs {commands} `aws` commands. One `aws --version` takes {:.0} ms here (Python importing the CLI and botocore), so about {:.1} s of the script's {:.1} s is the CLI starting, before any request.",
            cli_start.median(),
            cli_starts / 1000.0,
            cli.median() / 1000.0
        ),
        format!(
            "Every run starts on a reset sandbox whose IAM has already loaded AWS's managed policies: moto does that on the first IAM call after a reset ({:.0} ms here), which no real account costs, so the bench makes that call before the clock starts, for every way alike.",
            policies_loading.median()
        ),
        format!(
            "Lambdesk's {:.0} ms: {:.0} ms carrying out the plans, {:.0} ms for the invoke (the local Lambda starting Python and running the handler; moto's own invoke, which the CLI gets, runs nothing), and the rest compiling the plans, reads included.",
            plans.median(),
            executing[0].median(),
            invoking[0].median()
        ),
        format!(
            "The plans' time over the creating calls alone ({:.0} ms against {:.0} ms) is their safety. One part is a read: before the rule is put, a read for a rule of that name already there, which PutRule would replace; the same calls with that read, made directly, take {:.0} ms. The rest is the runner's: for what each plan makes (the role and the function, the rule, the API), one ledger write synced to disk before the first of them is made (the rule's while that read runs) and one confirming them once the last is made, while the plan's next calls go out. Each carries an owner tag with the plan's token, which tells it from another of the same name if an answer is lost, so the role, the function and the API need no read before.",
            executing[0].median(),
            executing[2].median(),
            executing[3].median()
        ),
    ];
    figures::write("cli_flow", &[against_cli, runner, runner_and_reads], &notes);
}

/// How many `aws` commands the flow's scripts ran, its invoke included.
fn cli_commands(data: &std::path::Path) -> usize {
    let scripts = std::fs::read_dir(data).expect("the last run's scripts are there");
    let mut commands = 1;
    for script in scripts.flatten() {
        if script.path().extension().is_some_and(|ext| ext == "sh") {
            let text = std::fs::read_to_string(script.path()).unwrap();
            commands += text
                .lines()
                .filter(|line| line.starts_with("aws ") || line.contains("=$(aws "))
                .count();
        }
    }
    commands
}
