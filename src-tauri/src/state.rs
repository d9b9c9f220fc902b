//! What the app holds between commands: the profile store, the ledgers, the files the user chose or
//! dropped, the plan under review and the one running (the wizard's, and the function page's), the
//! sandbox's scheduler and API gateway, the sandbox the app started, the local Lambda with its warm
//! processes,
//! the saved test events, the log tails followed, the function list read at launch,
//! and an `AwsContext` per profile and region so the account lookup is not repeated on every call.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lambdesk_core::AppError;
use lambdesk_core::aws::AwsContext;
use lambdesk_core::lambda::FunctionList;
use lambdesk_core::ledger::Ledger;
use lambdesk_core::local::LocalLambda;
use lambdesk_core::local::gateway::LocalGateway;
use lambdesk_core::package::Sources;
use lambdesk_core::paths::AppDirs;
use lambdesk_core::plan::Plans;
use lambdesk_core::profiles::{ProfileStore, SANDBOX_PROFILE_ID};
use lambdesk_core::sandbox_server::{RunningSandbox, SandboxHome};
use lambdesk_core::scheduler::Scheduler;
use lambdesk_core::test_events::TestEventStore;

use tokio::sync::{Notify, oneshot};

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
    /// The function list of the profile and region the app opened on, read while the window
    /// loaded, for the page's first list there.
    launch_list: Mutex<Option<LaunchList>>,
}

/// How long after launch the list read then still counts as the account's: the page asks for it
/// within a second; a later first visit to that profile and region reads it afresh.
const LAUNCH_LIST_FRESH_FOR: Duration = Duration::from_secs(10);

struct LaunchList {
    key: ContextKey,
    started: Instant,
    answer: oneshot::Receiver<Result<FunctionList, AppError>>,
}

/// The context of each profile and region, or the outcome of building it.
#[derive(Default)]
struct Contexts(HashMap<ContextKey, Arc<ContextSlot<AwsContext>>>);

/// One profile and region's context. Builds take turns, so callers that arrive while one is under
/// way (the page's first list, behind the build started at launch) wait for it instead of asking
/// STS again; when it fails they take its error rather than wait as long a second time.
struct ContextSlot<T> {
    builds_finished: AtomicU64,
    last: tokio::sync::Mutex<Option<Result<T, AppError>>>,
}

impl<T> Default for ContextSlot<T> {
    fn default() -> Self {
        Self {
            builds_finished: AtomicU64::new(0),
            last: tokio::sync::Mutex::new(None),
        }
    }
}

impl<T: Clone> ContextSlot<T> {
    async fn get_or_build(
        &self,
        build: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let finished_before = self.builds_finished.load(Ordering::Acquire);
        let mut last = self.last.lock().await;
        match &*last {
            Some(Ok(ctx)) => return Ok(ctx.clone()),
            Some(Err(error)) if self.builds_finished.load(Ordering::Acquire) != finished_before => {
                return Err(error.clone());
            }
            _ => {}
        }
        let outcome = build.await;
        *last = Some(outcome.clone());
        self.builds_finished.fetch_add(1, Ordering::Release);
        outcome
    }

    /// The built context, unless a build is under way or failed.
    fn built(&self) -> Option<T> {
        let last = self.last.try_lock().ok()?;
        last.as_ref()?.as_ref().ok().cloned()
    }
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
            launch_list: Mutex::default(),
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
            .0
            .values()
            .filter_map(|slot| slot.built())
            .filter(|ctx| ctx.runs_code_locally)
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
        self.forget_contexts(SANDBOX_PROFILE_ID);
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
        let slot = Arc::clone(self.lock().0.entry(key.clone()).or_default());
        let outcome = slot
            .get_or_build(async {
                let access = self.profiles.access(profile_id).await?;
                lambdesk_core::build_context(profile_id, &access, region).await
            })
            .await;
        if outcome.is_err() {
            let mut contexts = self.lock();
            if contexts
                .0
                .get(&key)
                .is_some_and(|listed| Arc::ptr_eq(listed, &slot))
            {
                contexts.0.remove(&key);
            }
        }
        outcome
    }

    /// Drops the contexts of a profile whose keys or settings changed, or which was deleted. A
    /// build under way for it finishes into a slot no longer listed, so its context is not reused.
    pub fn forget_contexts(&self, profile_id: &str) {
        self.lock().0.retain(|(id, _), _| id != profile_id);
        let mut launch_list = self
            .launch_list
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if launch_list
            .as_ref()
            .is_some_and(|list| list.key.0 == profile_id)
        {
            *launch_list = None;
        }
    }

    /// Lists the functions of the profile and region the app opens on while its window and page
    /// load, so that the page's first list takes that answer instead of waiting for the SDK's
    /// configuration, STS and ListFunctions in turn. An account's list starts at once, as its time
    /// goes on the network. The Local sandbox's waits until `page_started`: the sandbox answers on
    /// this machine's cores, which the window and WebKit's processes need while they start. The
    /// page may then wait a little for the answer, but the list is drawn sooner (`make bench`'s
    /// launch shows both: its time to the page, and from the page's request to its answer).
    pub async fn list_where_the_app_opens(&self, page_started: &Notify) {
        let selection = self.profiles.overview().selection;
        if selection.profile_id == SANDBOX_PROFILE_ID {
            page_started.notified().await;
        }
        self.list_at_launch(&selection.profile_id, &selection.region)
            .await;
    }

    /// Reads the function list of the profile and region the app opens on, while its window and
    /// page load; the page's first list there takes this answer instead of waiting for its own.
    pub async fn list_at_launch(&self, profile_id: &str, region: &str) {
        let (answer, receiver) = oneshot::channel();
        *self
            .launch_list
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(LaunchList {
            key: (profile_id.to_owned(), region.to_owned()),
            started: Instant::now(),
            answer: receiver,
        });
        let listed = match self.context(profile_id, region).await {
            Ok(ctx) => lambdesk_core::lambda::list_functions(&ctx).await,
            Err(error) => Err(error),
        };
        if let Err(error) = &listed {
            tracing::debug!(%error, profile = %profile_id, region, "the list at launch failed");
        }
        // The page may have asked elsewhere first and dropped it.
        let _ = answer.send(listed);
    }

    /// The list read at launch, once, when it is of this profile and region and still fresh.
    pub async fn take_launch_list(
        &self,
        profile_id: &str,
        region: &str,
    ) -> Option<Result<FunctionList, AppError>> {
        let list = self
            .launch_list
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        let fresh = list.started.elapsed() < LAUNCH_LIST_FRESH_FOR;
        if !fresh || list.key.0 != profile_id || list.key.1 != region {
            return None;
        }
        list.answer.await.ok()
    }

    fn lock(&self) -> MutexGuard<'_, Contexts> {
        // Every change under this lock is a single insert or removal, so a panic cannot leave it
        // half-done.
        self.contexts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use lambdesk_core::error::ErrorKind;

    use super::*;

    fn refused() -> AppError {
        AppError::new(ErrorKind::Network, "connection refused")
    }

    #[test]
    fn callers_during_a_build_share_its_outcome_and_a_later_call_builds_again() {
        tauri::async_runtime::block_on(async {
            let slot = ContextSlot::<u32>::default();
            let builds = AtomicUsize::new(0);
            let build = |outcome: Result<u32, AppError>| {
                let builds = &builds;
                async move {
                    builds.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    outcome
                }
            };

            let (first, waiter) = tokio::join!(slot.get_or_build(build(Err(refused()))), async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                slot.get_or_build(build(Ok(7))).await
            });
            assert_eq!(first.unwrap_err().kind, ErrorKind::Network);
            assert_eq!(
                waiter.unwrap_err().kind,
                ErrorKind::Network,
                "the waiter took the failed build's error"
            );
            assert_eq!(builds.load(Ordering::SeqCst), 1);
            assert_eq!(slot.built(), None);

            assert_eq!(
                slot.get_or_build(build(Ok(7))).await.unwrap(),
                7,
                "a retry after the failure builds"
            );
            assert_eq!(
                slot.get_or_build(build(Ok(8))).await.unwrap(),
                7,
                "then the built one is kept"
            );
            assert_eq!(builds.load(Ordering::SeqCst), 2);
            assert_eq!(slot.built(), Some(7));
        });
    }
}
