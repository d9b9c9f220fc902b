//! Lambda's runtime table, shipped as data (`data/runtimes.toml`) because AWS changes it: which
//! runtimes a new function may use, and the dates of the deprecated ones.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language family: decides what a handler string names and which file holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Nodejs,
    Java,
    Dotnet,
    Ruby,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Runtime {
    pub id: String,
    pub name: String,
    pub language: Language,
    /// ISO date on which AWS ends support.
    pub deprecated: String,
    /// ISO date from which AWS refuses to create functions on it.
    pub block_create: String,
}

impl Runtime {
    /// Offered for new functions until its deprecation date.
    pub fn offered_on(&self, today: &str) -> bool {
        today < self.deprecated.as_str()
    }
}

#[derive(Deserialize)]
struct Table {
    runtime: Vec<Runtime>,
}

static RUNTIMES: LazyLock<Vec<Runtime>> = LazyLock::new(|| {
    toml::from_str::<Table>(include_str!("../data/runtimes.toml"))
        .expect("data/runtimes.toml is checked by a unit test")
        .runtime
});

/// Every runtime in the table, newest first within each language.
pub fn runtimes() -> &'static [Runtime] {
    &RUNTIMES
}

/// The table split by `offered_on(today)`, so the UI offers exactly what the core accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeTable {
    pub offered: Vec<Runtime>,
    pub deprecated: Vec<Runtime>,
}

pub fn table() -> RuntimeTable {
    let today = today();
    let (offered, deprecated) = RUNTIMES
        .iter()
        .cloned()
        .partition(|runtime| runtime.offered_on(&today));
    RuntimeTable {
        offered,
        deprecated,
    }
}

pub fn runtime(id: &str) -> Option<&'static Runtime> {
    RUNTIMES.iter().find(|runtime| runtime.id == id)
}

/// Today's UTC date as `YYYY-MM-DD`, which compares with the table's dates as text.
pub fn today() -> String {
    let mut now = crate::ledger::now();
    now.truncate(10);
    now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_has_unique_well_formed_rows() {
        assert!(runtimes().len() >= 20);
        for (index, runtime) in runtimes().iter().enumerate() {
            assert!(
                runtimes()[index + 1..]
                    .iter()
                    .all(|other| other.id != runtime.id),
                "{} twice",
                runtime.id
            );
            for date in [&runtime.deprecated, &runtime.block_create] {
                assert_eq!(date.len(), 10, "{}: {date}", runtime.id);
            }
            assert!(runtime.deprecated <= runtime.block_create, "{}", runtime.id);
        }
    }

    #[test]
    fn deprecated_runtimes_are_not_offered() {
        let python39 = runtime("python3.9").unwrap();
        assert!(!python39.offered_on("2026-11-24"));
        assert!(python39.offered_on("2025-12-14"));
        assert!(runtime("python3.13").unwrap().offered_on("2026-11-24"));
        assert!(runtime("python3.99").is_none());
    }

    #[test]
    fn the_table_for_the_ui_splits_by_the_same_rule() {
        let table = table();
        let today = today();
        assert_eq!(
            table.offered.len() + table.deprecated.len(),
            runtimes().len()
        );
        assert!(table.offered.iter().all(|r| r.offered_on(&today)));
        assert!(table.deprecated.iter().all(|r| !r.offered_on(&today)));
        assert!(table.deprecated.iter().any(|r| r.id == "python3.9"));
    }

    #[test]
    fn today_is_an_iso_date() {
        let today = today();
        assert_eq!(today.len(), 10);
        assert!(
            today.as_str() >= "2025-01-01" && today.as_bytes()[4] == b'-',
            "{today}"
        );
    }
}
