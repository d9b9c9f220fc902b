//! The plan under review and the plan running, held in Rust. The page names a reviewed plan by
//! its id: what runs, and what is saved as a script, is what Rust compiled and the user reviewed,
//! never something the page sends. A run is recorded as it goes, so a page that was left and
//! opened again can show its progress and outcome.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{CliTarget, Plan, PlanEvent, PlanOutcome, PlanView};
use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind};

/// A reviewed plan, as Review shows it, with the id the page uses to run it or save it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewedPlan {
    pub id: String,
    pub plan: PlanView,
    /// Every command as one shell script, to copy.
    pub script: String,
}

/// A plan's run as far as it went: the plan, each event so far, and the outcome once it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanRun {
    pub id: String,
    pub plan: PlanView,
    pub events: Vec<PlanEvent>,
    pub outcome: Option<PlanOutcome>,
}

struct Reviewed {
    id: String,
    plan: Arc<Plan>,
    target: CliTarget,
    view: PlanView,
}

#[derive(Default)]
struct Held {
    next: u64,
    reviewed: Option<Reviewed>,
    run: Option<PlanRun>,
}

/// The one reviewed plan and the last run. One wizard, one plan at a time: a new review replaces
/// the last one, and its staged files are deleted.
#[derive(Default)]
pub struct Plans {
    held: Mutex<Held>,
}

impl Plans {
    fn lock(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds a plan compiled for `ctx` as the one under review.
    pub fn review(&self, plan: Plan, ctx: &AwsContext) -> ReviewedPlan {
        let view = plan.view(ctx);
        let script = plan.script(&CliTarget::of(ctx));
        let mut held = self.lock();
        held.next += 1;
        let id = format!("plan-{}", held.next);
        let replaced = held.reviewed.replace(Reviewed {
            id: id.clone(),
            plan: Arc::new(plan),
            target: CliTarget::of(ctx),
            view: view.clone(),
        });
        drop(held);
        if let Some(old) = replaced {
            old.plan.discard();
        }
        ReviewedPlan {
            id,
            plan: view,
            script,
        }
    }

    /// Drops the plan under review (the user left Review, or switched account).
    pub fn drop_review(&self) {
        let dropped = self.lock().reviewed.take();
        if let Some(old) = dropped {
            old.plan.discard();
        }
    }

    /// The reviewed plan's shell script, and a file name for it.
    pub fn script(&self, id: &str) -> Result<(String, String), AppError> {
        let held = self.lock();
        let reviewed = reviewed(&held, id)?;
        Ok((
            reviewed.plan.script_name(),
            reviewed.plan.script(&reviewed.target),
        ))
    }

    /// Takes the reviewed plan `id` to run it; refused while another plan runs.
    pub fn start(&self, id: &str) -> Result<Arc<Plan>, AppError> {
        let mut held = self.lock();
        if held.run.as_ref().is_some_and(|run| run.outcome.is_none()) {
            return Err(
                AppError::new(ErrorKind::Conflict, "Another plan is still running.").with_hint(
                    "Wait until it has finished; its progress shows where it was started.",
                ),
            );
        }
        let reviewed = reviewed(&held, id)?;
        let plan = reviewed.plan.clone();
        let run = PlanRun {
            id: reviewed.id.clone(),
            plan: reviewed.view.clone(),
            events: Vec::new(),
            outcome: None,
        };
        held.reviewed = None;
        held.run = Some(run);
        Ok(plan)
    }

    pub fn record(&self, event: &PlanEvent) {
        if let Some(run) = self.lock().run.as_mut() {
            run.events.push(event.clone());
        }
    }

    pub fn finish(&self, outcome: &PlanOutcome) {
        if let Some(run) = self.lock().run.as_mut() {
            run.outcome = Some(outcome.clone());
        }
    }

    /// The run under way, or the last one until the user moves on from it.
    pub fn run(&self) -> Option<PlanRun> {
        self.lock().run.clone()
    }

    /// Forgets a finished run; a running one is kept.
    pub fn dismiss_run(&self) {
        let mut held = self.lock();
        if held.run.as_ref().is_some_and(|run| run.outcome.is_some()) {
            held.run = None;
        }
    }
}

fn reviewed<'a>(held: &'a Held, id: &str) -> Result<&'a Reviewed, AppError> {
    held.reviewed
        .as_ref()
        .filter(|reviewed| reviewed.id == id)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Validation,
                "This plan is no longer the one under review.",
            )
            .with_hint("Go back to Review to check the plan again.")
        })
}
