//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types so the
//! UI cannot drift from them. `ui/src/lib/ipc/bindings.ts` is this text; a test keeps it fresh.

use ts_rs::{Config, TS};

use crate::aws::{CallerIdentity, ContextTag, RegionInfo};
use crate::error::{AppError, ErrorKind};
use crate::functions::{FunctionList, FunctionSummary};
use crate::profiles::{
    ImportMode, KeyStorage, KeyringStatus, KeysInput, ProfileKind, ProfileSettings, ProfileView,
    ProfilesOverview, Selection, SharedKind, SharedProfile, SharedProfilesScan,
};

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
        KeyringStatus::decl(&cfg),
        SharedProfile::decl(&cfg),
        SharedProfilesScan::decl(&cfg),
        ImportMode::decl(&cfg),
        FunctionSummary::decl(&cfg),
        FunctionList::decl(&cfg),
    ];
    let mut text = HEADER.to_owned();
    for declaration in declarations {
        text.push_str("\nexport ");
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}
