//! Profiles: the accounts Lambdesk can talk to. For now the built-in "Local sandbox", which points
//! at a local AWS emulator so anyone can try everything without an AWS account.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const SANDBOX_PROFILE_ID: &str = "sandbox";
/// Names the sandbox's URL, so tests and second copies of the app can use their own.
pub const SANDBOX_URL_VAR: &str = "LAMBDESK_SANDBOX_URL";
/// The port LocalStack uses too, so either emulator works without configuration.
pub const DEFAULT_SANDBOX_URL: &str = "http://127.0.0.1:4566";
pub const SANDBOX_REGION: &str = "us-east-1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub default_region: String,
    pub source: ProfileSource,
}

/// Where a profile's credentials and endpoint come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    Sandbox { endpoint_url: String },
}

/// What the UI is told of a profile: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub kind: ProfileKind,
    pub default_region: String,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ProfileKind {
    Sandbox,
}

impl Profile {
    /// The built-in sandbox profile, at `LAMBDESK_SANDBOX_URL` or the default URL.
    pub fn sandbox_from_env() -> Self {
        Self::sandbox(sandbox_url(std::env::var(SANDBOX_URL_VAR).ok()))
    }

    pub fn sandbox(endpoint_url: impl Into<String>) -> Self {
        Self {
            id: SANDBOX_PROFILE_ID.to_owned(),
            name: "Local sandbox".to_owned(),
            default_region: SANDBOX_REGION.to_owned(),
            source: ProfileSource::Sandbox {
                endpoint_url: endpoint_url.into(),
            },
        }
    }

    pub fn view(&self) -> ProfileView {
        match &self.source {
            ProfileSource::Sandbox { endpoint_url } => ProfileView {
                id: self.id.clone(),
                name: self.name.clone(),
                kind: ProfileKind::Sandbox,
                default_region: self.default_region.clone(),
                endpoint_url: Some(endpoint_url.clone()),
            },
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
        let view = Profile::sandbox("http://127.0.0.1:5000").view();
        assert_eq!(view.kind, ProfileKind::Sandbox);
        assert_eq!(view.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(view.default_region, SANDBOX_REGION);
    }
}
