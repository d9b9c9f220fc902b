//! What the app holds between commands: the profile store, the ledgers, the files the user chose or
//! dropped, the plan under review and the one running (the wizard's, and the function page's), the
//! sandbox's scheduler and API gateway, the sandbox the app started, the local Lambda with its warm
//! processes,
//! the saved test events, the log tails followed,
//! and an `AwsContext` per profile and region so the account lookup is not repeated on every call.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use std::path::{Path, PathBuf};

use lambdesk_core::AppError;
use lambdesk_core::aws::AwsContext;
use lambdesk_core::ledger::Ledger;
use lambdesk_core::local::LocalLambda;
use lambdesk_core::local::gateway::LocalGateway;
use lambdesk_core::package::Sources;
use lambdesk_core::paths::AppDirs;
use lambdesk_core::plan::Plans;
use lambdesk_core::profiles::ProfileStore;
use lambdesk_core::sandbox_server::{RunningSandbox, SandboxHome};
use lambdesk_core::scheduler::Scheduler;
use lambdesk_core::test_events::TestEventStore;

use crate::tails::Tails;

type ContextKey = (String, String);

pub struct AppState {
    profiles: ProfileStore,
    contexts: Mutex<Contexts>,
    ledger: Ledger,
    sandbox_ledger: Ledger,
    /// Where packages Lambdesk builds are written before upload.
    data_dir: PathBuf,
    sources: Sources,
    plans: Plans,
    /// The function page's changes (configuration, code), held apart from the wizard's plan so
    /// neither replaces the other under review.
    changes: Plans,
    local: LocalLambda,
    scheduler: Scheduler,
    /// Serves the sandbox's REST APIs on loopback, once the app has started it.
    gateway: OnceLock<LocalGateway>,
    test_events: TestEventStore,
    tails: Tails,
    sandbox_home: SandboxHome,
    /// The sandbox the app started, when it started one; held across the start so a second press
    /// waits for the first.
    own_sandbox: tokio::sync::Mutex<Option<RunningSandbox>>,
}

#[derive(Default)]
struct Contexts {
    built: HashMap<ContextKey, AwsContext>,
    /// Bumped whenever a profile changes, so a context built from its old keys while the change
    /// was made is not cached and reused for the new ones.
    generation: HashMap<String, u64>,
}

impl AppState {
    pub fn new(profiles: ProfileStore, dirs: &AppDirs) -> Self {
        let data_dir = dirs.data.clone();
        Self {
            profiles,
            contexts: Mutex::default(),
            ledger: Ledger::new(dirs.ledger()),
            sandbox_ledger: Ledger::new(dirs.sandbox_ledger()),
            sandbox_home: SandboxHome::new(&data_dir),
            own_sandbox: tokio::sync::Mutex::default(),
            local: LocalLambda::new(&data_dir),
            scheduler: Scheduler::default(),
            gateway: OnceLock::new(),
            test_events: TestEventStore::new(&data_dir),
            tails: Tails::default(),
            data_dir,
            sources: Sources::default(),
            plans: Plans::default(),
            changes: Plans::default(),
        }
    }

    /// The files and folders the user chose through a dialog Rust opened, or dropped.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    pub fn plans(&self) -> &Plans {
        &self.plans
    }

    pub fn changes(&self) -> &Plans {
        &self.changes
    }

    /// Runs functions on this machine: every invoke on the Local sandbox, and Run locally.
    pub fn local(&self) -> &LocalLambda {
        &self.local
    }

    /// Fires the sandbox's schedules, which moto never fires.
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Keeps the started local gateway for as long as the app runs.
    pub fn set_gateway(&self, gateway: LocalGateway) {
        if self.gateway.set(gateway).is_err() {
            tracing::warn!("a second local API gateway was started and is stopped");
        }
    }

    /// Where the context's invoke URLs start when its APIs are served by the local gateway: on
    /// the Local sandbox only.
    pub fn gateway_url(&self, ctx: &AwsContext) -> Option<String> {
        ctx.runs_code_locally
            .then(|| self.gateway.get().map(LocalGateway::base_url))
            .flatten()
    }

    /// The contexts opened so far whose code runs on this machine: the Local sandbox's regions.
    pub fn local_contexts(&self) -> Vec<AwsContext> {
        self.lock()
            .built
            .values()
            .filter(|ctx| ctx.runs_code_locally)
            .cloned()
            .collect()
    }

    /// The log tails the page follows.
    pub fn tails(&self) -> &Tails {
        &self.tails
    }

    pub fn test_events(&self) -> &TestEventStore {
        &self.test_events
    }

    /// What Lambdesk created in the context's account: the Local sandbox keeps a ledger of its own,
    /// cleared when the app starts a new sandbox.
    pub fn ledger(&self, ctx: &AwsContext) -> &Ledger {
        if ctx.runs_code_locally {
            &self.sandbox_ledger
        } else {
            &self.ledger
        }
    }

    pub fn sandbox_home(&self) -> &SandboxHome {
        &self.sandbox_home
    }

    pub fn own_sandbox(&self) -> &tokio::sync::Mutex<Option<RunningSandbox>> {
        &self.own_sandbox
    }

    /// Points the Local sandbox profile at a new, empty sandbox: its old contexts and its ledger
    /// name what is gone.
    pub fn use_new_sandbox(&self, url: &str) -> Result<(), AppError> {
        self.profiles.set_sandbox_endpoint(url);
        self.forget_contexts(lambdesk_core::profiles::SANDBOX_PROFILE_ID);
        self.sandbox_ledger.clear()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn profiles(&self) -> &ProfileStore {
        &self.profiles
    }

    /// The context for a profile and region, built on first use. A failed build is not kept, so
    /// Retry tries again.
    pub async fn context(&self, profile_id: &str, region: &str) -> Result<AwsContext, AppError> {
        lambdesk_core::validate::region(region)?;
        let key = (profile_id.to_owned(), region.to_owned());
        let generation = {
            let contexts = self.lock();
            if let Some(ctx) = contexts.built.get(&key) {
                return Ok(ctx.clone());
            }
            contexts.generation.get(profile_id).copied().unwrap_or(0)
        };
        let access = self.profiles.access(profile_id).await?;
        let ctx = lambdesk_core::build_context(profile_id, &access, region).await?;
        let mut contexts = self.lock();
        if contexts.generation.get(profile_id).copied().unwrap_or(0) == generation {
            contexts.built.insert(key, ctx.clone());
        }
        Ok(ctx)
    }

    /// Drops the contexts of a profile whose keys or settings changed, or which was deleted.
    pub fn forget_contexts(&self, profile_id: &str) {
        let mut contexts = self.lock();
        contexts.built.retain(|(id, _), _| id != profile_id);
        *contexts
            .generation
            .entry(profile_id.to_owned())
            .or_default() += 1;
    }

    fn lock(&self) -> MutexGuard<'_, Contexts> {
        // Every change under this lock is a single insert or removal, so a panic cannot leave it
        // half-done.
        self.contexts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
