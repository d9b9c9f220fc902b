//! Access keys: what the user types once, what the keyring holds, and the masked form that is all
//! the UI and the config file ever see again.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorKind};
use crate::secrets::Secret;

/// Keys as the add and edit forms send them, the only time a secret crosses IPC (inwards).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeysInput {
    pub access_key_id: String,
    #[ts(type = "string")]
    pub secret_access_key: Secret,
    #[ts(type = "string | null")]
    pub session_token: Option<Secret>,
    /// An AWS-compatible endpoint (LocalStack, the sandbox); `None` for AWS itself.
    pub endpoint_url: Option<String>,
}

/// A complete set of keys, as kept in the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeys {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

/// The keyring entry's text; it exists only to cross into the keyring and back.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyringValue<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_token: Option<&'a str>,
}

impl AccessKeys {
    /// The text stored in the keyring entry.
    pub(crate) fn to_keyring_value(&self) -> Secret {
        let value = KeyringValue {
            access_key_id: &self.access_key_id,
            secret_access_key: self.secret_access_key.expose(),
            session_token: self.session_token.as_ref().map(Secret::expose),
        };
        Secret::new(serde_json::to_string(&value).expect("three strings serialise"))
    }

    pub(crate) fn from_keyring_value(stored: &Secret) -> Result<Self, AppError> {
        let value: KeyringValue<'_> = serde_json::from_str(stored.expose()).map_err(|_| {
            AppError::new(
                ErrorKind::Keyring,
                "The keyring entry of this profile is not in the form Lambdesk wrote.",
            )
            .with_hint("Edit the profile and enter its keys again.")
        })?;
        Ok(Self {
            access_key_id: value.access_key_id.to_owned(),
            secret_access_key: Secret::new(value.secret_access_key),
            session_token: value.session_token.map(Secret::new),
        })
    }

    pub fn masked_key_id(&self) -> String {
        mask_key_id(&self.access_key_id)
    }
}

impl KeysInput {
    /// The keys, trimmed, once `validate::keys` has accepted them.
    pub fn keys(&self) -> AccessKeys {
        AccessKeys {
            access_key_id: self.access_key_id.trim().to_owned(),
            secret_access_key: Secret::new(self.secret_access_key.expose().trim()),
            session_token: self
                .session_token
                .as_ref()
                .map(|token| token.expose().trim())
                .filter(|token| !token.is_empty())
                .map(Secret::new),
        }
    }

    pub fn endpoint(&self) -> Option<String> {
        self.endpoint_url
            .as_deref()
            .map(|url| url.trim().trim_end_matches('/'))
            .filter(|url| !url.is_empty())
            .map(str::to_owned)
    }
}

/// The first four and last four characters, enough to tell keys apart and recognise one in IAM.
pub fn mask_key_id(access_key_id: &str) -> String {
    let chars: Vec<char> = access_key_id.chars().collect();
    if chars.len() <= 8 {
        let tail: String = chars[chars.len().saturating_sub(2)..].iter().collect();
        return format!("…{tail}");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_id_is_masked_to_its_ends() {
        assert_eq!(mask_key_id("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
        assert_eq!(mask_key_id("testing"), "…ng");
    }

    #[test]
    fn the_keyring_value_round_trips() {
        let keys = AccessKeys {
            access_key_id: "ASIAEXAMPLE000000000".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            session_token: Some(Secret::new("token")),
        };
        let back = AccessKeys::from_keyring_value(&keys.to_keyring_value()).unwrap();
        assert_eq!(back, keys);
    }

    #[test]
    fn a_foreign_keyring_value_is_a_keyring_error() {
        let error = AccessKeys::from_keyring_value(&Secret::new("not json")).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Keyring);
        assert!(!error.message.contains("not json"));
    }
}
