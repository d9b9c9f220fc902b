//! Blueprints: ready-made functions to start from. Each is a folder under `blueprints/` (a
//! `manifest.toml`, the code files and a sample `event.json`) embedded at build time, so adding
//! one is adding a folder.

use std::sync::LazyLock;

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

static FOLDERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/blueprints");

const MANIFEST: &str = "manifest.toml";
const SAMPLE_EVENT: &str = "event.json";

/// The trigger a blueprint is meant for, e.g. a schedule or an API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedTrigger {
    /// `schedule`, `api-gateway`, `s3` or `sqs`.
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BlueprintFile {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Blueprint {
    pub id: String,
    pub name: String,
    pub description: String,
    pub runtime: String,
    pub handler: String,
    pub tags: Vec<String>,
    /// Policy template ids (see `roles`) a new role for it should get.
    pub policy_templates: Vec<String>,
    pub trigger: Option<SuggestedTrigger>,
    pub files: Vec<BlueprintFile>,
    pub sample_event: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    description: String,
    runtime: String,
    handler: String,
    tags: Vec<String>,
    policy_templates: Vec<String>,
    trigger: Option<SuggestedTrigger>,
}

static BLUEPRINTS: LazyLock<Vec<Blueprint>> = LazyLock::new(|| {
    let mut blueprints: Vec<Blueprint> = FOLDERS.dirs().map(load).collect();
    blueprints.sort_by(|a, b| a.name.cmp(&b.name));
    blueprints
});

fn load(folder: &Dir<'static>) -> Blueprint {
    let id = folder.path().to_string_lossy().into_owned();
    let text = |name: &str| -> String {
        folder
            .get_file(folder.path().join(name))
            .and_then(|file| file.contents_utf8())
            .unwrap_or_else(|| panic!("blueprint {id} lacks {name}"))
            .to_owned()
    };
    let manifest: Manifest = toml::from_str(&text(MANIFEST))
        .unwrap_or_else(|err| panic!("blueprint {id}: manifest.toml: {err}"));
    let mut files: Vec<BlueprintFile> = folder
        .files()
        .filter_map(|file| {
            let path = file.path().file_name()?.to_string_lossy().into_owned();
            (path != MANIFEST && path != SAMPLE_EVENT).then(|| BlueprintFile {
                text: file.contents_utf8().unwrap_or_default().to_owned(),
                path,
            })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Blueprint {
        sample_event: text(SAMPLE_EVENT),
        id,
        name: manifest.name,
        description: manifest.description,
        runtime: manifest.runtime,
        handler: manifest.handler,
        tags: manifest.tags,
        policy_templates: manifest.policy_templates,
        trigger: manifest.trigger,
        files,
    }
}

pub fn blueprints() -> &'static [Blueprint] {
    &BLUEPRINTS
}

pub fn blueprint(id: &str) -> Option<&'static Blueprint> {
    BLUEPRINTS.iter().find(|blueprint| blueprint.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{package, runtimes, validate};

    #[test]
    fn every_blueprint_is_complete_and_consistent() {
        assert!(blueprints().len() >= 6);
        for blueprint in blueprints() {
            let runtime = runtimes::runtime(&blueprint.runtime)
                .unwrap_or_else(|| panic!("{}: unknown runtime", blueprint.id));
            assert!(runtime.offered_on(&runtimes::today()), "{}", blueprint.id);
            validate::handler(
                &blueprint.handler,
                runtimes::runtime(&blueprint.runtime).map(|r| r.language),
            )
            .unwrap();
            let names: Vec<&str> = blueprint.files.iter().map(|f| f.path.as_str()).collect();
            assert!(
                package::handler_files(runtime.language, &blueprint.handler)
                    .iter()
                    .any(|candidate| names.contains(&candidate.as_str())),
                "{}: no file for handler {}",
                blueprint.id,
                blueprint.handler
            );
            assert!(blueprint.policy_templates.contains(&"basic".to_owned()));
            for template in &blueprint.policy_templates {
                assert!(crate::iam::template(template).is_some(), "{template}");
            }
            serde_json::from_str::<serde_json::Value>(&blueprint.sample_event)
                .unwrap_or_else(|err| panic!("{}: event.json: {err}", blueprint.id));
        }
    }
}
