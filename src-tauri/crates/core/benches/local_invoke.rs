//! `make bench`: how long the local Lambda takes to answer the Python hello world blueprint, cold
//! (a fresh process) and warm (the same process again), the median of 20 each. Prints figures;
//! asserts nothing.

use std::time::{Duration, Instant};

use lambdesk_core::blueprints::blueprint;
use lambdesk_core::local::{LocalFunction, LocalLambda};
use lambdesk_core::package::zip_blueprint;

const ROUNDS: usize = 20;
const EVENT: &[u8] = br#"{"key1":"value1","key2":"value2","key3":"value3"}"#;

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("lambdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let local = LocalLambda::new(&dir);
    let hello = blueprint("hello-world-python").unwrap();
    let zip = dir.join("hello.zip");
    zip_blueprint(hello, &zip).unwrap();
    let function = LocalFunction {
        name: "hello-world".to_owned(),
        arn: "arn:aws:lambda:us-east-1:123456789012:function:hello-world".to_owned(),
        version: "$LATEST".to_owned(),
        region: "us-east-1".to_owned(),
        runtime: hello.runtime.clone(),
        handler: hello.handler.clone(),
        memory_mb: 128,
        timeout_seconds: 3,
        environment: Default::default(),
        code_sha256: local.code().keep(&zip).unwrap(),
        aws_endpoint: None,
    };

    let mut cold = Vec::new();
    let mut init = Vec::new();
    let mut cold_reported = Vec::new();
    for _ in 0..ROUNDS {
        local.stop_all().await;
        let began = Instant::now();
        let run = local.run(&function, EVENT).await.unwrap();
        cold.push(began.elapsed());
        cold_reported.push(Duration::from_secs_f64(run.report.duration_ms / 1000.0));
        init.push(Duration::from_secs_f64(
            run.report
                .init_duration_ms
                .expect("a cold start reports its init")
                / 1000.0,
        ));
    }
    let mut warm = Vec::new();
    let mut warm_reported = Vec::new();
    for _ in 0..ROUNDS {
        let began = Instant::now();
        let run = local.run(&function, EVENT).await.unwrap();
        warm.push(began.elapsed());
        warm_reported.push(Duration::from_secs_f64(run.report.duration_ms / 1000.0));
        assert!(
            run.report.init_duration_ms.is_none(),
            "a warm start reports no init"
        );
    }
    local.stop_all().await;
    std::fs::remove_dir_all(&dir).unwrap();

    println!("local Lambda, Python hello world, median of {ROUNDS}:");
    println!(
        "  cold invoke: {:.1} ms end to end; REPORT Init Duration {:.1} ms, Duration {:.1} ms",
        median_ms(cold),
        median_ms(init),
        median_ms(cold_reported)
    );
    println!(
        "  warm invoke: {:.1} ms end to end; REPORT Duration {:.1} ms",
        median_ms(warm),
        median_ms(warm_reported)
    );
}

fn median_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}
