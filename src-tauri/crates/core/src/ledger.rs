//! The ledger: every resource a plan created, per account and region, kept in the app's data
//! folder so Clean up can list and remove what Lambdesk made, even after a restart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ResourceKind {
    Role,
    Function,
    Bucket,
    Object,
    /// An EventBridge rule, such as a schedule that runs a function.
    Rule,
    /// An API Gateway REST API; its id is in the entry's ARN.
    RestApi,
    /// An API Gateway API key; its id is in the entry's ARN.
    ApiKey,
    /// An API Gateway usage plan; its id is in the entry's ARN.
    UsagePlan,
}

/// Whether Lambdesk knows it made the resource, or recorded it before a call whose answer never
/// came back (it may exist; Clean up removes it if it does).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum EntryState {
    #[default]
    Created,
    Unconfirmed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// Names the resource within its account and region: what Clean up is asked to remove.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub state: EntryState,
    pub kind: ResourceKind,
    /// The role, function or bucket name, or the object's key.
    pub name: String,
    /// The bucket an object is in.
    pub bucket: Option<String>,
    pub arn: Option<String>,
    /// The function the plan that made it was creating.
    pub created_for: String,
    /// ISO 8601, UTC.
    pub created_at: String,
    /// The value of the `OWNER_TAG` the plan put on the resource: while the entry is unconfirmed,
    /// a resource of its name is Lambdesk's only if it carries this.
    #[serde(default)]
    pub owner_token: Option<String>,
}

impl LedgerEntry {
    pub fn new(kind: ResourceKind, name: &str, created_for: &str) -> Self {
        Self {
            id: id_of(kind, None, name),
            state: EntryState::Created,
            kind,
            name: name.to_owned(),
            bucket: None,
            arn: None,
            created_for: created_for.to_owned(),
            created_at: now(),
            owner_token: None,
        }
    }

    /// The entry of a resource the plan marks with `OWNER_TAG` set to `token`.
    pub fn tagged(self, token: &str) -> Self {
        Self {
            owner_token: Some(token.to_owned()),
            ..self
        }
    }

    /// A resource whose id AWS assigns when it is made, and whose name need not be unique (an
    /// API Gateway API, key or usage plan): `token`, made when the plan is compiled, tells it
    /// apart in the ledger before its id is known.
    pub fn assigned(kind: ResourceKind, name: &str, token: &str) -> Self {
        Self {
            id: format!("{}#{token}", id_of(kind, None, name)),
            ..Self::new(kind, name, "")
        }
    }

    /// An S3 object, which is named by its bucket and key.
    pub fn object(bucket: &str, key: &str, created_for: &str) -> Self {
        Self {
            id: id_of(ResourceKind::Object, Some(bucket), key),
            bucket: Some(bucket.to_owned()),
            ..Self::new(ResourceKind::Object, key, created_for)
        }
    }
}

fn id_of(kind: ResourceKind, bucket: Option<&str>, name: &str) -> String {
    let kind = match kind {
        ResourceKind::Role => "role",
        ResourceKind::Function => "function",
        ResourceKind::Bucket => "bucket",
        ResourceKind::Object => "object",
        ResourceKind::Rule => "rule",
        ResourceKind::RestApi => "restapi",
        ResourceKind::ApiKey => "apikey",
        ResourceKind::UsagePlan => "usageplan",
    };
    match bucket {
        Some(bucket) => format!("{kind}:{bucket}/{name}"),
        None => format!("{kind}:{name}"),
    }
}

/// The tag a plan puts on the role, function, rule, REST API, API key or usage plan it makes,
/// valued with a token of its own. When a create call's answer is lost, a resource of that name is
/// the plan's only if it carries the tag, so no read is needed before the call to tell it from one
/// that was there already (a rule still has one, because PutRule would replace it).
pub const OWNER_TAG: &str = "lambdesk:plan";

/// A short random token that tells apart what one plan makes.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_owned()
}

/// Whether a resource's tags (as Lambda and API Gateway give them) hold the owner tag with this
/// token.
pub fn carries_owner_tag(tags: Option<&HashMap<String, String>>, token: &str) -> bool {
    tags.and_then(|tags| tags.get(OWNER_TAG))
        .is_some_and(|value| value == token)
}

/// What Lambdesk created in one account and region, as Clean up lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedList {
    pub context: crate::aws::ContextTag,
    pub entries: Vec<LedgerEntry>,
}

/// The current UTC time in ISO 8601.
pub fn now() -> String {
    aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// A change to one account and region's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Adds the entry, or replaces the one with its id (an unconfirmed entry becomes created).
    Record(LedgerEntry),
    /// Removes the entry with this id.
    Forget(String),
}

/// One JSON file per account and region under the ledger folder. A mutex, shared by the ledger's
/// clones, serialises writers in this process; the file is replaced atomically, synced to disk.
#[derive(Debug, Clone)]
pub struct Ledger {
    dir: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl Ledger {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            lock: Arc::default(),
        }
    }

    fn file(&self, account: &str, region: &str) -> PathBuf {
        self.dir.join(account).join(format!("{region}.json"))
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn entries(&self, account: &str, region: &str) -> Result<Vec<LedgerEntry>, AppError> {
        let _guard = self.locked();
        read(&self.file(account, region))
    }

    /// The entry with this id in the account and region, if the ledger lists one.
    pub fn entry(
        &self,
        account: &str,
        region: &str,
        id: &str,
    ) -> Result<Option<LedgerEntry>, AppError> {
        Ok(self
            .entries(account, region)?
            .into_iter()
            .find(|entry| entry.id == id))
    }

    /// Adds the entry, or replaces the one with its id (an unconfirmed entry becomes created).
    pub fn record(&self, account: &str, region: &str, entry: LedgerEntry) -> Result<(), AppError> {
        self.apply(account, region, vec![Change::Record(entry)])
    }

    pub fn forget(&self, account: &str, region: &str, id: &str) -> Result<(), AppError> {
        self.apply(account, region, vec![Change::Forget(id.to_owned())])
    }

    /// Makes the changes, in order, in one write.
    pub fn apply(&self, account: &str, region: &str, changes: Vec<Change>) -> Result<(), AppError> {
        let _guard = self.locked();
        write(&self.file(account, region), changes)
    }

    /// Forgets every entry of every account and region: for the sandbox's ledger, when a new
    /// sandbox starts empty and what the old one held is gone.
    pub fn clear(&self) -> Result<(), AppError> {
        let _guard = self.locked();
        match std::fs::remove_dir_all(&self.dir) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(AppError::new(
                ErrorKind::Unknown,
                format!("Could not clear the ledger {}: {err}", self.dir.display()),
            )
            .with_hint("Check that the data folder is writable.")),
            _ => Ok(()),
        }
    }
}

/// Reads the file, makes the changes and writes it back; the caller holds the ledger's lock.
fn write(file: &Path, changes: Vec<Change>) -> Result<(), AppError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut entries = read(file)?;
    for change in changes {
        match change {
            Change::Record(entry) => {
                match entries.iter_mut().find(|existing| existing.id == entry.id) {
                    Some(existing) => *existing = entry,
                    None => entries.push(entry),
                }
            }
            Change::Forget(id) => entries.retain(|existing| existing.id != id),
        }
    }
    let failed = |err: std::io::Error| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not write the ledger {}: {err}", file.display()),
        )
        .with_hint("Check that the data folder is writable and the disk is not full.")
    };
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let text = serde_json::to_vec_pretty(&entries).unwrap_or_default();
    crate::paths::write_private(file, &text).map_err(failed)
}

fn read(file: &Path) -> Result<Vec<LedgerEntry>, AppError> {
    match std::fs::read(file) {
        Ok(bytes) => serde_json::from_slice::<Vec<LedgerEntry>>(&bytes)
            .map(|mut entries| {
                // Ledgers written before entries had ids get the ids their resources name.
                for entry in entries.iter_mut().filter(|entry| entry.id.is_empty()) {
                    entry.id = id_of(entry.kind, entry.bucket.as_deref(), &entry.name);
                }
                entries
            })
            .map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("The ledger {} cannot be read: {err}", file.display()),
                )
                .with_hint("Repair or remove the file; Lambdesk only uses it to offer Clean up.")
            }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(AppError::new(
            ErrorKind::Unknown,
            format!("Could not read the ledger {}: {err}", file.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_kept_per_account_and_region() {
        let dir = std::env::temp_dir().join(format!("lambdesk-ledger-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let ledger = Ledger::new(&dir);
        let role = LedgerEntry::new(ResourceKind::Role, "hello-role", "hello");
        let function = LedgerEntry::new(ResourceKind::Function, "hello", "hello");
        ledger
            .record("111111111111", "eu-west-1", role.clone())
            .unwrap();
        ledger
            .record("111111111111", "eu-west-1", function.clone())
            .unwrap();
        ledger
            .record("111111111111", "eu-west-1", role.clone())
            .unwrap();
        ledger
            .record("222222222222", "eu-west-1", role.clone())
            .unwrap();
        assert_eq!(
            ledger.entries("111111111111", "eu-west-1").unwrap().len(),
            2
        );
        assert!(
            ledger
                .entries("111111111111", "us-east-1")
                .unwrap()
                .is_empty()
        );
        ledger
            .forget("111111111111", "eu-west-1", &role.id)
            .unwrap();
        assert_eq!(role.id, "role:hello-role");
        assert_eq!(
            LedgerEntry::object("builds", "a/b.zip", "hello").id,
            "object:builds/a/b.zip"
        );
        let reopened = Ledger::new(&dir);
        assert_eq!(
            reopened.entries("111111111111", "eu-west-1").unwrap(),
            std::slice::from_ref(&function)
        );
        assert_eq!(
            reopened.entries("222222222222", "eu-west-1").unwrap().len(),
            1
        );
        assert!(
            role.created_at.ends_with('Z') && role.created_at.len() >= 20,
            "{}",
            role.created_at
        );
        // Several changes, in order, in one write.
        let rule = LedgerEntry::new(ResourceKind::Rule, "every-minute", "hello");
        reopened
            .apply(
                "222222222222",
                "eu-west-1",
                vec![
                    Change::Forget(role.id.clone()),
                    Change::Record(rule.clone()),
                    Change::Record(function.clone()),
                    Change::Forget(rule.id.clone()),
                    Change::Record(rule.clone()),
                ],
            )
            .unwrap();
        assert_eq!(
            reopened.entries("222222222222", "eu-west-1").unwrap(),
            [function.clone(), rule]
        );
        reopened.clear().unwrap();
        assert!(
            reopened
                .entries("111111111111", "eu-west-1")
                .unwrap()
                .is_empty()
        );
        assert!(
            reopened
                .entries("222222222222", "eu-west-1")
                .unwrap()
                .is_empty()
        );
        reopened.clear().unwrap();
        assert!(!dir.exists());
    }
}
