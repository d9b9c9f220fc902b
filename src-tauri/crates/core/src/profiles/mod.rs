//! Profiles: the accounts Lambdesk can talk to. The built-in "Local sandbox" points at a local AWS
//! emulator; the others hold keys in the OS keyring or use a profile of `~/.aws` as it is.

mod keys;
pub mod shared;
mod store;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use keys::{AccessKeys, KeysInput, mask_key_id};
pub use shared::{SharedFiles, SharedKind, SharedProfile, SharedProfilesScan};
pub use store::{ImportMode, KeyringStatus, ProfileStore, ProfilesOverview, Selection};

pub const SANDBOX_PROFILE_ID: &str = "sandbox";
/// Names the sandbox's URL, so tests and second copies of the app can use their own.
pub const SANDBOX_URL_VAR: &str = "LAMBDESK_SANDBOX_URL";
/// The port LocalStack uses too, so either emulator works without configuration.
pub const DEFAULT_SANDBOX_URL: &str = "http://127.0.0.1:4566";
pub const SANDBOX_REGION: &str = "us-east-1";
const SANDBOX_NAME: &str = "Local sandbox";

/// A profile as the config file holds it: no secret, only where to find one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub default_region: String,
    /// Marks an account where mistakes cost: the UI colours it and asks for typed confirmation.
    #[serde(default)]
    pub production: bool,
    pub source: ProfileSource,
}

/// Where a profile's credentials and endpoint come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ProfileSource {
    Sandbox {
        endpoint_url: String,
    },
    /// Access keys kept in the OS keyring (or, when the user chose so, in memory for one session).
    Keys {
        masked_key_id: String,
        endpoint_url: Option<String>,
        storage: KeyStorage,
    },
    /// A profile of the shared AWS config files, resolved by aws-config each time it is used.
    Shared {
        profile_name: String,
        kind: SharedKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum KeyStorage {
    Keyring,
    /// In memory only, because the keyring failed and the user chose not to wait for it.
    Session,
}

/// The non-secret settings a user chooses for any profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSettings {
    pub name: String,
    pub default_region: String,
    pub production: bool,
}

/// What the UI is told of a profile: never a secret, only a masked key id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub kind: ProfileKind,
    pub default_region: String,
    pub production: bool,
    pub endpoint_url: Option<String>,
    pub masked_key_id: Option<String>,
    pub key_storage: Option<KeyStorage>,
    /// False when the keys were kept for an earlier session only and must be entered again.
    pub keys_available: bool,
    pub shared_profile: Option<String>,
    pub shared_kind: Option<SharedKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ProfileKind {
    Sandbox,
    Keys,
    Shared,
}

impl Profile {
    /// The built-in sandbox profile, at `LAMBDESK_SANDBOX_URL` or the default URL.
    pub fn sandbox_from_env() -> Self {
        Self::sandbox(sandbox_url(std::env::var(SANDBOX_URL_VAR).ok()))
    }

    pub fn sandbox(endpoint_url: impl Into<String>) -> Self {
        Self {
            id: SANDBOX_PROFILE_ID.to_owned(),
            name: SANDBOX_NAME.to_owned(),
            default_region: SANDBOX_REGION.to_owned(),
            production: false,
            source: ProfileSource::Sandbox {
                endpoint_url: endpoint_url.into(),
            },
        }
    }

    /// The view the UI gets; `session_keys_held` says whether session-only keys are still held.
    pub fn view(&self, session_keys_held: bool) -> ProfileView {
        let mut view = ProfileView {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: ProfileKind::Sandbox,
            default_region: self.default_region.clone(),
            production: self.production,
            endpoint_url: None,
            masked_key_id: None,
            key_storage: None,
            keys_available: true,
            shared_profile: None,
            shared_kind: None,
        };
        match &self.source {
            ProfileSource::Sandbox { endpoint_url } => {
                view.endpoint_url = Some(endpoint_url.clone());
            }
            ProfileSource::Keys {
                masked_key_id,
                endpoint_url,
                storage,
            } => {
                view.kind = ProfileKind::Keys;
                view.endpoint_url.clone_from(endpoint_url);
                view.masked_key_id = Some(masked_key_id.clone());
                view.key_storage = Some(*storage);
                view.keys_available = *storage == KeyStorage::Keyring || session_keys_held;
            }
            ProfileSource::Shared { profile_name, kind } => {
                view.kind = ProfileKind::Shared;
                view.shared_profile = Some(profile_name.clone());
                view.shared_kind = Some(*kind);
            }
        }
        view
    }

    pub fn settings(&self) -> ProfileSettings {
        ProfileSettings {
            name: self.name.clone(),
            default_region: self.default_region.clone(),
            production: self.production,
        }
    }
}

/// The sandbox URL from the environment's value: trimmed, or the default when unset or blank.
fn sandbox_url(from_env: Option<String>) -> String {
    from_env
        .map(|url| url.trim().trim_end_matches('/').to_owned())
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| DEFAULT_SANDBOX_URL.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_url_defaults_and_is_trimmed() {
        assert_eq!(sandbox_url(None), DEFAULT_SANDBOX_URL);
        assert_eq!(sandbox_url(Some("  ".into())), DEFAULT_SANDBOX_URL);
        assert_eq!(
            sandbox_url(Some(" http://127.0.0.1:5000/ ".into())),
            "http://127.0.0.1:5000"
        );
    }

    #[test]
    fn the_sandbox_view_names_its_endpoint() {
        let view = Profile::sandbox("http://127.0.0.1:5000").view(true);
        assert_eq!(view.kind, ProfileKind::Sandbox);
        assert_eq!(view.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(view.default_region, SANDBOX_REGION);
    }

    #[test]
    fn a_keys_profile_is_stored_with_its_masked_key_only() {
        let profile = Profile {
            id: "p-1".into(),
            name: "Work".into(),
            default_region: "eu-west-1".into(),
            production: true,
            source: ProfileSource::Keys {
                masked_key_id: "AKIA…WXYZ".into(),
                endpoint_url: None,
                storage: KeyStorage::Keyring,
            },
        };
        let json = serde_json::to_value(&profile).unwrap();
        assert_eq!(json["source"]["type"], "keys");
        assert_eq!(json["source"]["maskedKeyId"], "AKIA…WXYZ");
        let back: Profile = serde_json::from_value(json).unwrap();
        assert_eq!(back, profile);
        let view = profile.view(false);
        assert_eq!(view.kind, ProfileKind::Keys);
        assert!(view.production);
        assert!(
            view.keys_available,
            "keyring keys do not depend on the session"
        );
    }
}
