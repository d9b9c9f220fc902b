//! Plans: what a wizard will do, as ordered steps a user reviews before anything happens. Each step
//! says what it does in plain words and as the `aws` CLI command it stands for; the runner applies
//! them, records what they create in the ledger before each call, and on a failure undoes the
//! completed steps in reverse, so nothing made is left in the account unlisted.
//!
//! This module is only the mechanism: the steps themselves live with the service they call
//! (`iam`, `s3`, `lambda`, ...), and a wizard compiles its answers into a `Plan` of them.

mod cli;
mod held;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use cli::{Command, quote};
pub use held::{PlanRun, Plans, ReviewedPlan};

use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::ledger::{Change, EntryState, Ledger, LedgerEntry};

/// The future a step's `apply`, `undo` or `exists` returns.
pub type StepFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Where the CLI commands are meant to run: the region and, for an emulator, its endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliTarget {
    pub region: String,
    pub endpoint_url: Option<String>,
}

impl CliTarget {
    pub fn of(ctx: &AwsContext) -> Self {
        Self {
            region: ctx.region.clone(),
            endpoint_url: ctx.endpoint_url.clone(),
        }
    }
}

/// What a running step may tell the user: a line of detail, or bytes sent of a total.
pub trait Progress: Send + Sync {
    fn say(&self, detail: String);
    fn sent(&self, sent: u64, total: u64);
}

/// What applying a step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The ARN of the resource the step made.
    pub arn: Option<String>,
    /// The function the plan exists to make, once it is made.
    pub function_arn: Option<String>,
    /// A secret AWS shows only when it is made (an API key's value): passed to the user once,
    /// never logged.
    pub revealed: Option<Revealed>,
}

/// A secret shown once, with what it is.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Revealed {
    pub label: String,
    pub value: String,
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revealed")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// What a step that makes a resource found before making it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Before {
    /// Nothing by that name: the step will make it, and it will be Lambdesk's.
    Absent,
    /// One of the user's own is there and will do (a bucket to stage in): it is used as it is,
    /// never recorded as Lambdesk's and never deleted.
    UseExisting,
}

/// One change to the account. A step that makes a resource names it in `creates`. The runner
/// then asks `before` whether one is there already, records it before the call (an answer lost on
/// the way back must not hide it), asks `exists` when the call fails, and has it undone when a
/// later step fails. One that was there before is never taken for Lambdesk's: a step whose call
/// would replace another's (a rule) or adopt it (a bucket) looks in `before`, and a step that marks
/// what it makes with the owner tag (`ledger::OWNER_TAG`: a role, a function, a rule, an API
/// Gateway API, key or usage plan) has `exists` look for the mark.
pub trait Step: Send + Sync + std::fmt::Debug {
    fn summary(&self) -> String;
    fn cli(&self, target: &CliTarget) -> String;
    /// The resource this step makes, if any (its `created_for` is filled in by the runner).
    fn creates(&self) -> Option<LedgerEntry> {
        None
    }
    /// Looks for the resource before making it; an error (usually a Conflict) stops the plan.
    fn before<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, Before> {
        let _ = ctx;
        Box::pin(async { Ok(Before::Absent) })
    }
    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied>;
    /// Removes what `apply` did; a resource that is already gone counts as removed.
    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()>;
    /// Whether the resource `creates` names is in the account now, made by this step: the one
    /// `before` found absent, or the one that carries this step's owner tag.
    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        let _ = ctx;
        Box::pin(async { Ok(false) })
    }
}

/// What a plan is for, as its script's first line and file name say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Create,
    Configure,
    DeployCode,
    AddTrigger,
}

impl Purpose {
    fn verb(self) -> &'static str {
        match self {
            Purpose::Create => "Creates the Lambda function",
            Purpose::Configure => "Changes the configuration of the Lambda function",
            Purpose::DeployCode => "Deploys new code to the Lambda function",
            Purpose::AddTrigger => "Adds a trigger to the Lambda function",
        }
    }

    fn file_prefix(self) -> &'static str {
        match self {
            Purpose::Create => "create",
            Purpose::Configure => "configure",
            Purpose::DeployCode => "deploy",
            Purpose::AddTrigger => "add-trigger",
        }
    }
}

/// A reviewed, ordered list of steps for one function, compiled for one account and region.
#[derive(Debug)]
pub struct Plan {
    pub purpose: Purpose,
    pub function_name: String,
    pub account_id: String,
    pub region: String,
    pub steps: Vec<Box<dyn Step>>,
    /// Files Lambdesk wrote for this plan (packages); deleted with `discard` once it is done.
    pub staged: Vec<PathBuf>,
}

impl Plan {
    pub fn view(&self, ctx: &AwsContext) -> PlanView {
        let target = CliTarget::of(ctx);
        PlanView {
            context: ctx.tag(),
            function_name: self.function_name.clone(),
            steps: self
                .steps
                .iter()
                .map(|step| StepView {
                    summary: step.summary(),
                    cli: step.cli(&target),
                })
                .collect(),
        }
    }

    /// Every command as one shell script.
    pub fn script(&self, target: &CliTarget) -> String {
        let mut text = format!(
            "#!/bin/sh\n# {} {} in account {}, region {}, as Lambdesk would.\n# Run it with credentials for that account, e.g. AWS_PROFILE=<profile> sh {}\nset -eu\n",
            self.purpose.verb(),
            self.function_name,
            self.account_id,
            target.region,
            self.script_name()
        );
        for (index, step) in self.steps.iter().enumerate() {
            text.push_str(&format!(
                "\n# {}. {}\n{}\n",
                index + 1,
                step.summary(),
                step.cli(target)
            ));
        }
        text
    }

    /// The file name the script is offered under.
    pub fn script_name(&self) -> String {
        format!("{}-{}.sh", self.purpose.file_prefix(), self.function_name)
    }

    /// Deletes the files written for the plan; they are not needed once it has run or was
    /// replaced by another.
    pub fn discard(&self) {
        for file in &self.staged {
            if let Err(err) = std::fs::remove_file(file)
                && err.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(file = %file.display(), error = %err, "a staged package was not deleted");
            }
        }
    }

    /// Refuses to run in another account or region than the one the plan was compiled and
    /// reviewed for.
    pub fn check_context(&self, ctx: &AwsContext) -> Result<(), AppError> {
        if self.account_id == ctx.account_id && self.region == ctx.region {
            return Ok(());
        }
        Err(AppError::new(
            ErrorKind::Validation,
            format!(
                "This plan was reviewed for account {} in {}, but would run in account {} in {}.",
                self.account_id, self.region, ctx.account_id, ctx.region
            ),
        )
        .with_hint(
            "Go back to Review in the account and region you want, and check the plan again.",
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub summary: String,
    pub cli: String,
}

/// The plan as Review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    pub context: ContextTag,
    pub function_name: String,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum StepStatus {
    Running,
    Done,
    Failed,
    Undoing,
    Undone,
    UndoFailed,
}

/// Progress of one step, sent as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanEvent {
    pub step: u32,
    pub status: StepStatus,
    pub detail: Option<String>,
    #[ts(type = "number | null")]
    pub sent_bytes: Option<u64>,
    #[ts(type = "number | null")]
    pub total_bytes: Option<u64>,
}

impl PlanEvent {
    fn status(step: u32, status: StepStatus, detail: Option<String>) -> Self {
        Self {
            step,
            status,
            detail,
            sent_bytes: None,
            total_bytes: None,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanOutcome {
    pub context: ContextTag,
    pub succeeded: bool,
    pub function_name: String,
    pub function_arn: Option<String>,
    pub failed_step: Option<u32>,
    pub error: Option<AppError>,
    /// What the undo could not remove, or what may exist but could not be checked; it stays in
    /// the ledger for Clean up.
    pub left_behind: Vec<LedgerEntry>,
    /// Secrets made by the plan, shown to the user this once.
    pub revealed: Vec<Revealed>,
}

/// Reports a running step's progress as plan events.
struct StepProgress<'a> {
    step: u32,
    report: &'a (dyn Fn(PlanEvent) + Send + Sync),
}

impl Progress for StepProgress<'_> {
    fn say(&self, detail: String) {
        (self.report)(PlanEvent::status(
            self.step,
            StepStatus::Running,
            Some(detail),
        ));
    }

    fn sent(&self, sent: u64, total: u64) {
        (self.report)(PlanEvent {
            sent_bytes: Some(sent),
            total_bytes: Some(total),
            ..PlanEvent::status(self.step, StepStatus::Running, None)
        });
    }
}

/// A ledger write running on a blocking thread while the plan goes on.
enum Write {
    Running(tokio::task::JoinHandle<Result<(), AppError>>),
    Done(Result<(), AppError>),
}

impl Write {
    fn start(ledger: &Ledger, ctx: &AwsContext, changes: Vec<Change>) -> Self {
        let (ledger, account, region) =
            (ledger.clone(), ctx.account_id.clone(), ctx.region.clone());
        Write::Running(tokio::task::spawn_blocking(move || {
            ledger.apply(&account, &region, changes)
        }))
    }

    async fn finished(&mut self) -> Result<(), AppError> {
        if let Write::Running(write) = self {
            let written = write
                .await
                .unwrap_or_else(|err| Err(AppError::new(ErrorKind::Unknown, err.to_string())));
            *self = Write::Done(written);
        }
        match self {
            Write::Done(written) => written.clone(),
            Write::Running(_) => Ok(()),
        }
    }
}

/// The ledger's side of a run. Every resource a step marks with the owner tag is recorded as
/// unconfirmed in one write, synced to disk while the plan's first calls go out; a step that makes
/// one waits for it before its call. Clean up forgets an unconfirmed entry when nothing of its name
/// carries the plan's token, so recording one that the plan never makes (it stopped before) takes
/// nothing of the user's. Any other resource is recorded only once its step's look found nothing
/// there, since Clean up would take a resource of its name for Lambdesk's. One more write settles
/// the run's entries: once the last step that makes a resource is done, while the plan's other
/// calls go out, it confirms what the plan made, with ARNs; after a failure, it keeps only what
/// could not be undone or checked.
struct Records<'a> {
    ctx: &'a AwsContext,
    ledger: &'a Ledger,
    tagged: Write,
    tagged_ids: Vec<String>,
    /// Entries recorded one by one, after their step's look.
    looked_ids: Vec<String>,
    /// The last step that makes a resource.
    last_maker: Option<usize>,
    confirming: Option<Write>,
}

impl<'a> Records<'a> {
    fn start(ctx: &'a AwsContext, ledger: &'a Ledger, planned: &[Option<LedgerEntry>]) -> Self {
        let tagged: Vec<&LedgerEntry> = planned
            .iter()
            .flatten()
            .filter(|entry| entry.owner_token.is_some())
            .collect();
        let tagged_ids = tagged.iter().map(|entry| entry.id.clone()).collect();
        let write = if tagged.is_empty() {
            Write::Done(Ok(()))
        } else {
            let changes = tagged
                .into_iter()
                .map(|entry| Change::Record(entry.clone()))
                .collect();
            Write::start(ledger, ctx, changes)
        };
        Self {
            ctx,
            ledger,
            tagged: write,
            tagged_ids,
            looked_ids: Vec::new(),
            last_maker: planned.iter().rposition(Option::is_some),
            confirming: None,
        }
    }

    /// Before the call of a step that makes `entry`: its look, and its record in the ledger.
    async fn prepare(&mut self, step: &dyn Step, entry: &LedgerEntry) -> Result<Before, AppError> {
        if entry.owner_token.is_some() {
            let (looked, recorded) = tokio::join!(step.before(self.ctx), self.tagged.finished());
            let looked = looked?;
            recorded?;
            return Ok(looked);
        }
        let looked = step.before(self.ctx).await?;
        if looked == Before::Absent {
            self.ledger
                .record(&self.ctx.account_id, &self.ctx.region, entry.clone())?;
            self.looked_ids.push(entry.id.clone());
        }
        Ok(looked)
    }

    /// The changes that replace what the run recorded by `kept`, in that order.
    async fn replacing_with(&mut self, kept: Vec<LedgerEntry>) -> Vec<Change> {
        let mut recorded = self.looked_ids.clone();
        if self.tagged.finished().await.is_ok() {
            recorded.extend(self.tagged_ids.iter().cloned());
        }
        let mut changes: Vec<Change> = recorded.into_iter().map(Change::Forget).collect();
        changes.extend(kept.into_iter().map(Change::Record));
        changes
    }

    /// After step `index` is done (made or found): once no later step makes anything, starts the
    /// write that confirms what the completed steps made.
    async fn step_done(&mut self, index: u32, completed: &[Completed<'_>]) {
        if self.last_maker != usize::try_from(index).ok() {
            return;
        }
        let made = completed
            .iter()
            .filter_map(|done| done.entry.clone())
            .collect();
        let changes = self.replacing_with(made).await;
        self.confirming = Some(Write::start(self.ledger, self.ctx, changes));
    }

    /// Waits for the run's writes. After a failure, `kept` (what the run made and could not undo,
    /// or could not check) then replaces what it recorded.
    async fn finish(mut self, kept: Option<Vec<LedgerEntry>>) {
        if let Some(mut confirming) = self.confirming.take()
            && let Err(err) = confirming.finished().await
        {
            tracing::warn!(error = %err, "a created resource stays unconfirmed in the ledger");
        }
        let Some(kept) = kept else {
            return;
        };
        let changes = self.replacing_with(kept).await;
        if let Err(err) = self
            .ledger
            .apply(&self.ctx.account_id, &self.ctx.region, changes)
        {
            tracing::warn!(error = %err, "a failed plan's entries stay in the ledger as recorded");
        }
    }
}

/// A step that completed, with the ledger entry of what it made.
struct Completed<'a> {
    index: u32,
    step: &'a dyn Step,
    entry: Option<LedgerEntry>,
}

/// Applies the steps in order. Before a step makes a resource, the resource is in the ledger as
/// unconfirmed; when the call fails, AWS is asked whether it exists. On a failure the completed
/// steps are undone in reverse; whatever could not be removed, or could not be checked, stays in
/// the ledger and is listed in the outcome.
pub async fn run(
    ctx: &AwsContext,
    plan: &Plan,
    ledger: &Ledger,
    report: &(dyn Fn(PlanEvent) + Send + Sync),
) -> PlanOutcome {
    let mut outcome = PlanOutcome {
        context: ctx.tag(),
        succeeded: false,
        function_name: plan.function_name.clone(),
        function_arn: None,
        failed_step: None,
        error: None,
        left_behind: Vec::new(),
        revealed: Vec::new(),
    };
    if let Err(error) = plan.check_context(ctx) {
        outcome.error = Some(error);
        return outcome;
    }
    let planned: Vec<Option<LedgerEntry>> = plan
        .steps
        .iter()
        .map(|step| {
            step.creates().map(|mut entry| {
                plan.function_name.clone_into(&mut entry.created_for);
                entry.state = EntryState::Unconfirmed;
                entry
            })
        })
        .collect();
    let mut records = Records::start(ctx, ledger, &planned);
    let mut completed: Vec<Completed> = Vec::new();
    let mut failure = None;
    for ((index, step), entry) in (0u32..).zip(&plan.steps).zip(&planned) {
        report(PlanEvent::status(index, StepStatus::Running, None));
        let pending = match entry {
            None => None,
            Some(entry) => match records.prepare(step.as_ref(), entry).await {
                Ok(Before::Absent) => Some(entry.clone()),
                Ok(Before::UseExisting) => {
                    records.step_done(index, &completed).await;
                    report(PlanEvent::status(
                        index,
                        StepStatus::Done,
                        Some("It exists already and is yours: used as it is, and never deleted by Lambdesk.".to_owned()),
                    ));
                    continue;
                }
                Err(error) => {
                    failure = Some((index, error));
                    break;
                }
            },
        };
        let progress = StepProgress {
            step: index,
            report,
        };
        match step.apply(ctx, &progress).await {
            Ok(applied) => {
                let entry = pending.map(|mut entry| {
                    entry.state = EntryState::Created;
                    entry.arn = applied.arn.clone();
                    entry
                });
                outcome.function_arn = applied.function_arn.or(outcome.function_arn);
                outcome.revealed.extend(applied.revealed);
                completed.push(Completed {
                    index,
                    step: step.as_ref(),
                    entry,
                });
                records.step_done(index, &completed).await;
                report(PlanEvent::status(index, StepStatus::Done, None));
            }
            Err(error) => {
                // `exists` tells what the call made, even when its answer was an error or
                // never came, from what was there before or another's of the same name.
                if let Some(entry) = pending {
                    match step.exists(ctx).await {
                        Ok(true) => completed.push(Completed {
                            index,
                            step: step.as_ref(),
                            entry: Some(entry),
                        }),
                        Ok(false) => {}
                        Err(check) => {
                            tracing::warn!(error = %check, "could not tell whether a failed step made its resource");
                            outcome.left_behind.push(entry);
                        }
                    }
                }
                failure = Some((index, error));
                break;
            }
        }
    }
    let Some((failed_step, error)) = failure else {
        records.finish(None).await;
        tracing::info!(function = %plan.function_name, account = %ctx.account_id, region = %ctx.region, "a plan completed");
        outcome.succeeded = true;
        return outcome;
    };
    tracing::warn!(step = failed_step, error = %error, "a plan step failed; undoing");
    report(PlanEvent::status(
        failed_step,
        StepStatus::Failed,
        Some(error.message.clone()),
    ));
    for done in completed.into_iter().rev() {
        // The failed step itself, when AWS made its resource anyway, is undone too; its status
        // stays Failed.
        let shown = done.index != failed_step;
        if shown {
            report(PlanEvent::status(done.index, StepStatus::Undoing, None));
        }
        match done.step.undo(ctx).await {
            Ok(()) => {
                if shown {
                    report(PlanEvent::status(done.index, StepStatus::Undone, None));
                }
            }
            Err(err) => {
                report(PlanEvent::status(
                    done.index,
                    StepStatus::UndoFailed,
                    Some(err.message.clone()),
                ));
                outcome.left_behind.extend(done.entry);
            }
        }
    }
    records.finish(Some(outcome.left_behind.clone())).await;
    // Whatever was revealed was undone with the rest, so it is not shown.
    outcome.revealed.clear();
    outcome.failed_step = Some(failed_step);
    outcome.error = Some(error);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(account: &str, region: &str) -> AwsContext {
        AwsContext::offline(region, account, false)
    }

    #[tokio::test]
    async fn a_plan_runs_only_where_it_was_reviewed() {
        let plan = Plan {
            purpose: Purpose::Create,
            function_name: "hello".into(),
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            steps: Vec::new(),
            staged: Vec::new(),
        };
        let ledger = Ledger::new(std::env::temp_dir().join("lambdesk-unused-ledger"));
        for (account, region) in [("222222222222", "eu-west-1"), ("111111111111", "us-east-1")] {
            let outcome = run(&context(account, region), &plan, &ledger, &|_| {}).await;
            assert!(!outcome.succeeded);
            let error = outcome.error.unwrap();
            assert_eq!(error.kind, ErrorKind::Validation);
            assert!(
                error
                    .message
                    .contains("reviewed for account 111111111111 in eu-west-1"),
                "{}",
                error.message
            );
        }
        let outcome = run(
            &context("111111111111", "eu-west-1"),
            &plan,
            &ledger,
            &|_| {},
        )
        .await;
        assert!(outcome.succeeded);
    }
}
