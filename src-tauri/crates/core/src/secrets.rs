//! Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), never in a file. Calls block on the platform store: async callers use
//! `tokio::task::spawn_blocking`.

use std::fmt;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Deserializer};

use crate::error::{AppError, ErrorKind};

/// The keyring service name Lambdesk's entries are filed under.
pub const KEYRING_SERVICE: &str = "lambdesk";

const PROBE_KEY: &str = "keyring-probe";

const KEYRING_HINT: &str = "Lambdesk keeps keys only in the OS keyring, never in a file. On Linux, \
install and unlock a Secret Service provider (gnome-keyring, KWallet or KeePassXC); on macOS, unlock \
the Keychain; then press Check again. Until then, a profile's keys can be kept for this session only.";

/// A secret value whose `Debug` never shows it, so it cannot leak through a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Secrets arrive from the add-profile form; there is deliberately no `Serialize`, so none can be
/// sent back to the webview or written to a file by accident.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The platform's credential store, holding the entries of one keyring service.
#[derive(Clone)]
pub struct SecretStore {
    store: Arc<CredentialStore>,
    service: String,
}

impl fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretStore")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// Opens the platform's store. Fails when there is none (for example no Secret Service on the
    /// session bus), with a hint on how to get one.
    pub fn open(service: &str) -> Result<Self, AppError> {
        let store = platform_store().map_err(|err| keyring_error("open the OS keyring", &err))?;
        Ok(Self {
            store,
            service: service.to_owned(),
        })
    }

    pub fn set(&self, key: &str, secret: &Secret) -> Result<(), AppError> {
        self.entry(key)?
            .set_password(secret.expose())
            .map_err(|err| keyring_error("save the key in the OS keyring", &err))
    }

    /// The secret under `key`, or `None` when there is no such entry.
    pub fn get(&self, key: &str) -> Result<Option<Secret>, AppError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(err) => Err(keyring_error("read the key from the OS keyring", &err)),
        }
    }

    /// Removes the entry; removing one that is not there is not an error.
    pub fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_error("delete the key from the OS keyring", &err)),
        }
    }

    /// Proves the store works with a write and a delete: a locked store can still answer a read,
    /// with a misleading "no entry".
    pub fn probe(&self) -> Result<(), AppError> {
        self.set(PROBE_KEY, &Secret::new("probe"))?;
        self.delete(PROBE_KEY)
    }

    fn entry(&self, key: &str) -> Result<Entry, AppError> {
        Entry::new_in_store(&self.store, &self.service, key)
            .map_err(|err| keyring_error("address the OS keyring", &err))
    }
}

/// The message names the operation and the store's own words, which never contain the secret.
fn keyring_error(doing: &str, err: &keyring_core::Error) -> AppError {
    AppError::new(ErrorKind::Keyring, format!("Could not {doing}: {err}.")).with_hint(KEYRING_HINT)
}

#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "this operating system has no supported keyring".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = Secret::new("wJalrXUtnFEMI/K7MDENG");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
    }
}
