//! What a bench measured, as `docs/performance.md` shows it: each figure beside its baseline from
//! the same run, as median and range, the ratio of the medians, and the goal. Written to
//! `target/bench/<bench>.json`, which `scripts/performance.py` turns into the table.

use std::time::Duration;

use serde_json::{Value, json};

/// Repeated measurements of one thing.
#[derive(Debug, Clone, Default)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    pub fn push_ms(&mut self, elapsed: Duration) {
        self.push(elapsed.as_secs_f64() * 1000.0);
    }

    pub fn median(&self) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        match sorted.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        }
    }

    fn min(&self) -> f64 {
        self.0.iter().copied().fold(f64::INFINITY, f64::min)
    }

    fn max(&self) -> f64 {
        self.0.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }

    /// "median 1,639 ms (range 1,631 to 1,646 ms)", for the console.
    pub fn spread(&self, unit: &str) -> String {
        format!(
            "median {:.0} {unit} (range {:.0} to {:.0} {unit}, {} runs)",
            self.median(),
            self.min(),
            self.max(),
            self.0.len()
        )
    }

    fn to_json(&self) -> Value {
        json!({ "median": self.median(), "min": self.min(), "max": self.max(), "runs": self.0.len() })
    }
}

/// One line of the results table: Lambdesk's samples against a baseline's, and the goal for the
/// ratio of their medians (Lambdesk's over the baseline's, lower is better), where one is set.
pub struct Figure<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub lambdesk: &'a Samples,
    pub baseline_name: &'a str,
    pub baseline: &'a Samples,
    pub goal: Option<f64>,
}

impl Figure<'_> {
    pub fn ratio(&self) -> f64 {
        self.lambdesk.median() / self.baseline.median()
    }

    fn to_json(&self) -> Value {
        json!({
            "figure": self.name,
            "unit": self.unit,
            "lambdesk": self.lambdesk.to_json(),
            "baseline": { "name": self.baseline_name, "samples": self.baseline.to_json() },
            "ratio": self.ratio(),
            "goal": self.goal,
        })
    }
}

/// Writes the bench's figures and notes (where the time goes) for `scripts/performance.py`.
pub fn write(bench: &str, figures: &[Figure], notes: &[String]) {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target/bench");
    std::fs::create_dir_all(&folder).unwrap();
    let report = json!({
        "bench": bench,
        "figures": figures.iter().map(Figure::to_json).collect::<Vec<_>>(),
        "notes": notes,
    });
    std::fs::write(
        folder.join(format!("{bench}.json")),
        serde_json::to_string_pretty(&report).unwrap() + "\n",
    )
    .unwrap();
}
