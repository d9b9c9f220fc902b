//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types so the
//! UI cannot drift from them. `ui/src/lib/ipc/bindings.ts` is this text; a test keeps it fresh.

use ts_rs::{Config, TS};

use crate::apigateway::proxy::ProxyProblem;
use crate::apigateway::{ApiTrigger, RestApiSummary, StageUrl};
use crate::aws::{CallerIdentity, ContextTag, RegionInfo};
use crate::blueprints::{Blueprint, BlueprintFile, SuggestedTrigger};
use crate::configure::{ChangeReview, CodeReplacement, SettingChange};
use crate::create::{CodeSource, FunctionDraft, RoleChoice, Staging};
use crate::error::{AppError, ErrorKind};
use crate::events::RuleTrigger;
use crate::iam::{PolicyTemplate, RoleList, RoleSummary};
use crate::lambda::{
    Architecture, FileEdit, FunctionDetails, FunctionList, FunctionSettings, FunctionSummary,
    FunctionUrl, InvocationType, InvokeRequest, InvokeResult, KeyValue, MappingTrigger,
    PackageContents, PackageEntry, RegionFunctions, UrlAuth, UrlCors,
};
use crate::ledger::{CreatedList, EntryState, LedgerEntry, ResourceKind};
use crate::local::Report;
use crate::logs::{FoundEvent, LogEventsPage, LogGroupPage, LogGroupSummary, LogQuery};
use crate::logs::{LogEvent, LogStreamSummary, LogStreams, StreamEvents};
use crate::logs::{TailMode, TailStarted};
use crate::metrics::{FleetActivity, FunctionActivity, FunctionMetrics, MetricRange};
use crate::package::{DroppedPackage, PackageInfo};
use crate::plan::{
    PlanEvent, PlanOutcome, PlanRun, PlanView, Revealed, ReviewedPlan, StepStatus, StepView,
};
use crate::profiles::{
    ImportMode, KeyStorage, KeyringStatus, KeysInput, ProfileKind, ProfileSettings, ProfileView,
    ProfilesOverview, Selection, SharedKind, SharedProfile, SharedProfilesScan,
};
use crate::runtimes::{Language, Runtime, RuntimeTable};
use crate::s3::BucketList;
use crate::sandbox_server::SandboxProgress;
use crate::test_events::{EventTemplate, SavedEvent, SavedEvents};
use crate::triggers::{
    ApiMethodRef, ApiSecurity, CallRequest, CallResult, EventSource, EventSources, HttpHeader,
    MappingDraft, ProxyCheck, RestApiDraft, RoleCheck, ScheduleDraft, SchedulePreview, TriggerList,
    UrlCallRequest, UrlDraft,
};
use crate::validate::SourceKind;

const HEADER: &str =
    "// Generated from the Rust types in lambdesk-core by `make bindings`. Do not edit.\n";

pub fn typescript() -> String {
    let cfg = Config::new();
    let declarations = [
        ErrorKind::decl(&cfg),
        AppError::decl(&cfg),
        ContextTag::decl(&cfg),
        RegionInfo::decl(&cfg),
        CallerIdentity::decl(&cfg),
        ProfileKind::decl(&cfg),
        KeyStorage::decl(&cfg),
        SharedKind::decl(&cfg),
        ProfileView::decl(&cfg),
        ProfileSettings::decl(&cfg),
        KeysInput::decl(&cfg),
        Selection::decl(&cfg),
        ProfilesOverview::decl(&cfg),
        SandboxProgress::decl(&cfg),
        KeyringStatus::decl(&cfg),
        SharedProfile::decl(&cfg),
        SharedProfilesScan::decl(&cfg),
        ImportMode::decl(&cfg),
        FunctionSummary::decl(&cfg),
        FunctionList::decl(&cfg),
        RegionFunctions::decl(&cfg),
        Language::decl(&cfg),
        Runtime::decl(&cfg),
        RuntimeTable::decl(&cfg),
        SuggestedTrigger::decl(&cfg),
        BlueprintFile::decl(&cfg),
        Blueprint::decl(&cfg),
        PolicyTemplate::decl(&cfg),
        RoleSummary::decl(&cfg),
        RoleList::decl(&cfg),
        BucketList::decl(&cfg),
        PackageInfo::decl(&cfg),
        DroppedPackage::decl(&cfg),
        Architecture::decl(&cfg),
        KeyValue::decl(&cfg),
        CodeSource::decl(&cfg),
        RoleChoice::decl(&cfg),
        Staging::decl(&cfg),
        FunctionDraft::decl(&cfg),
        StepView::decl(&cfg),
        PlanView::decl(&cfg),
        StepStatus::decl(&cfg),
        PlanEvent::decl(&cfg),
        PlanOutcome::decl(&cfg),
        ReviewedPlan::decl(&cfg),
        PlanRun::decl(&cfg),
        ResourceKind::decl(&cfg),
        EntryState::decl(&cfg),
        LedgerEntry::decl(&cfg),
        CreatedList::decl(&cfg),
        InvocationType::decl(&cfg),
        InvokeRequest::decl(&cfg),
        Report::decl(&cfg),
        InvokeResult::decl(&cfg),
        EventTemplate::decl(&cfg),
        SavedEvent::decl(&cfg),
        SavedEvents::decl(&cfg),
        FunctionSettings::decl(&cfg),
        FunctionDetails::decl(&cfg),
        SettingChange::decl(&cfg),
        ChangeReview::decl(&cfg),
        CodeReplacement::decl(&cfg),
        PackageEntry::decl(&cfg),
        PackageContents::decl(&cfg),
        FileEdit::decl(&cfg),
        LogStreamSummary::decl(&cfg),
        LogStreams::decl(&cfg),
        LogEvent::decl(&cfg),
        StreamEvents::decl(&cfg),
        RuleTrigger::decl(&cfg),
        TriggerList::decl(&cfg),
        ScheduleDraft::decl(&cfg),
        SchedulePreview::decl(&cfg),
        Revealed::decl(&cfg),
        RestApiSummary::decl(&cfg),
        StageUrl::decl(&cfg),
        ApiTrigger::decl(&cfg),
        ApiSecurity::decl(&cfg),
        RestApiDraft::decl(&cfg),
        ApiMethodRef::decl(&cfg),
        HttpHeader::decl(&cfg),
        CallRequest::decl(&cfg),
        CallResult::decl(&cfg),
        ProxyProblem::decl(&cfg),
        ProxyCheck::decl(&cfg),
        SourceKind::decl(&cfg),
        MappingTrigger::decl(&cfg),
        EventSource::decl(&cfg),
        EventSources::decl(&cfg),
        RoleCheck::decl(&cfg),
        MappingDraft::decl(&cfg),
        UrlAuth::decl(&cfg),
        UrlCors::decl(&cfg),
        FunctionUrl::decl(&cfg),
        UrlDraft::decl(&cfg),
        UrlCallRequest::decl(&cfg),
        MetricRange::decl(&cfg),
        FunctionMetrics::decl(&cfg),
        FunctionActivity::decl(&cfg),
        FleetActivity::decl(&cfg),
        LogGroupSummary::decl(&cfg),
        LogGroupPage::decl(&cfg),
        LogQuery::decl(&cfg),
        FoundEvent::decl(&cfg),
        LogEventsPage::decl(&cfg),
        TailMode::decl(&cfg),
        TailStarted::decl(&cfg),
    ];
    let mut text = HEADER.to_owned();
    for declaration in declarations {
        text.push_str("\nexport ");
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}
