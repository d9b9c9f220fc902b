//! The profile store: non-secret settings in `profiles.json` in the config folder, keys in the OS
//! keyring (or in memory for one session, when the user chooses so because the keyring failed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::keys::{AccessKeys, KeysInput};
use super::shared::{SharedFiles, SharedKind, SharedProfilesScan};
use super::{KeyStorage, Profile, ProfileSettings, ProfileSource, ProfileView, SANDBOX_PROFILE_ID};
use crate::aws::Access;
use crate::error::{AppError, ErrorKind};
use crate::secrets::SecretStore;
use crate::validate;

const FILE_NAME: &str = "profiles.json";
/// A locked store may be showing the user an unlock prompt: wait for them, but not forever.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(60);

/// The profile and region the user last chose, restored at the next start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    pub profile_id: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesOverview {
    pub profiles: Vec<ProfileView>,
    /// The last choice, or the sandbox when there is none or its profile is gone.
    pub selection: Selection,
    /// Why the saved profiles could not be read, if they could not.
    pub problem: Option<AppError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyringStatus {
    pub available: bool,
    pub problem: Option<AppError>,
}

/// How an imported profile with static keys is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ImportMode {
    /// Copy the keys into the keyring; later edits of the files do not affect the profile.
    CopyKeys,
    /// Read the files each time, as the AWS CLI does.
    UseInPlace,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfilesFile {
    #[serde(default)]
    profiles: Vec<Profile>,
    #[serde(default)]
    last_selection: Option<Selection>,
}

pub struct ProfileStore {
    file: PathBuf,
    /// The built-in sandbox; its URL moves when the app starts a sandbox of its own.
    sandbox: Mutex<Profile>,
    shared_files: SharedFiles,
    keyring_service: String,
    saved: Mutex<ProfilesFile>,
    session_keys: Mutex<HashMap<String, AccessKeys>>,
    keyring: tokio::sync::Mutex<Option<Result<SecretStore, AppError>>>,
    load_problem: Option<AppError>,
}

impl ProfileStore {
    /// Reads the saved profiles. A file that cannot be read is set aside, never overwritten, and
    /// the problem is reported with the profiles.
    pub fn open(
        config_dir: &Path,
        sandbox: Profile,
        shared_files: SharedFiles,
        keyring_service: &str,
    ) -> Self {
        let file = config_dir.join(FILE_NAME);
        let (saved, load_problem) = match read_file(&file) {
            Ok(saved) => (saved, None),
            Err(problem) => {
                tracing::warn!(path = %file.display(), message = %problem.message, "profiles file unreadable");
                (ProfilesFile::default(), Some(problem))
            }
        };
        Self {
            file,
            sandbox: Mutex::new(sandbox),
            shared_files,
            keyring_service: keyring_service.to_owned(),
            saved: Mutex::new(saved),
            session_keys: Mutex::default(),
            keyring: tokio::sync::Mutex::default(),
            load_problem,
        }
    }

    pub fn overview(&self) -> ProfilesOverview {
        let saved = lock(&self.saved);
        let session = lock(&self.session_keys);
        let sandbox = self.sandbox();
        let mut profiles = vec![sandbox.view(true)];
        let mut others: Vec<ProfileView> = saved
            .profiles
            .iter()
            .map(|profile| profile.view(session.contains_key(&profile.id)))
            .collect();
        others.sort_by_key(|view| view.name.to_lowercase());
        profiles.extend(others);
        let selection = saved
            .last_selection
            .clone()
            .filter(|selection| profiles.iter().any(|p| p.id == selection.profile_id))
            .unwrap_or(Selection {
                profile_id: sandbox.id,
                region: sandbox.default_region,
            });
        ProfilesOverview {
            profiles,
            selection,
            problem: self.load_problem.clone(),
        }
    }

    fn sandbox(&self) -> Profile {
        lock(&self.sandbox).clone()
    }

    /// Where the Local sandbox profile sends its requests.
    pub fn sandbox_url(&self) -> String {
        self.sandbox().view(true).endpoint_url.unwrap_or_default()
    }

    /// Points the Local sandbox profile at a sandbox the app started.
    pub fn set_sandbox_endpoint(&self, endpoint_url: &str) {
        lock(&self.sandbox).source = ProfileSource::Sandbox {
            endpoint_url: endpoint_url.to_owned(),
        };
    }

    pub fn profile(&self, id: &str) -> Result<Profile, AppError> {
        if id == SANDBOX_PROFILE_ID {
            return Ok(self.sandbox());
        }
        lock(&self.saved)
            .profiles
            .iter()
            .find(|profile| profile.id == id)
            .cloned()
            .ok_or_else(|| no_such_profile(id))
    }

    /// What a profile signs its requests with, the secret read from the keyring off the runtime.
    pub async fn access(&self, id: &str) -> Result<Access, AppError> {
        let profile = self.profile(id)?;
        match profile.source {
            ProfileSource::Sandbox { endpoint_url } => Ok(Access::Sandbox { endpoint_url }),
            ProfileSource::Shared { profile_name, kind } => Ok(Access::Shared {
                profile_name,
                kind,
                files: self.shared_files.clone(),
            }),
            ProfileSource::Keys {
                endpoint_url,
                storage,
                ..
            } => {
                let keys = match storage {
                    KeyStorage::Session => lock(&self.session_keys).get(id).cloned(),
                    KeyStorage::Keyring => {
                        match self.in_keyring(id, |store, key| store.get(key)).await? {
                            Some(stored) => Some(AccessKeys::from_keyring_value(&stored)?),
                            None => None,
                        }
                    }
                };
                let keys = keys.ok_or_else(|| missing_keys(&profile.name, storage))?;
                Ok(Access::Keys { keys, endpoint_url })
            }
        }
    }

    pub async fn keyring_status(&self) -> KeyringStatus {
        status_of(self.keyring().await)
    }

    /// Probes the keyring again, after the user installed or unlocked one.
    pub async fn recheck_keyring(&self) -> KeyringStatus {
        self.keyring.lock().await.take();
        self.keyring_status().await
    }

    /// Saves a profile with access keys. The keys go to the keyring, or, when `session_only`,
    /// stay in memory until the app quits; the file gets only the masked key id.
    pub async fn add_keys_profile(
        &self,
        settings: &ProfileSettings,
        input: &KeysInput,
        session_only: bool,
    ) -> Result<ProfileView, AppError> {
        let settings = self.checked_settings(settings, None)?;
        validate::keys(input)?;
        let view = self
            .insert_keys_profile(settings, input.keys(), input.endpoint(), session_only)
            .await?;
        tracing::info!(profile = %view.id, session_only, "added a profile with access keys");
        Ok(view)
    }

    /// Changes a profile's name, region and production mark, and, for a keys profile, its keys.
    pub async fn update_profile(
        &self,
        id: &str,
        settings: &ProfileSettings,
        new_keys: Option<(&KeysInput, bool)>,
    ) -> Result<ProfileView, AppError> {
        let mut profile = self.profile(id)?;
        if id == SANDBOX_PROFILE_ID {
            return Err(AppError::new(
                ErrorKind::Validation,
                "The local sandbox is built in and cannot be changed.",
            )
            .with_hint("Add a profile of your own to choose its name and region."));
        }
        let settings = self.checked_settings(settings, Some(id))?;
        profile.name = settings.name;
        profile.default_region = settings.default_region;
        profile.production = settings.production;
        if let Some((input, session_only)) = new_keys {
            let ProfileSource::Keys { storage, .. } = profile.source else {
                return Err(AppError::new(
                    ErrorKind::Validation,
                    "This profile reads its credentials from the AWS config files.",
                )
                .with_hint("Change them in those files, or add a profile with access keys."));
            };
            validate::keys(input)?;
            let keys = input.keys();
            profile.source = ProfileSource::Keys {
                masked_key_id: keys.masked_key_id(),
                endpoint_url: input.endpoint(),
                storage: storage_of(session_only),
            };
            self.store_keys(id, keys, session_only).await?;
            if storage != storage_of(session_only) {
                self.forget_stored_keys(id, storage).await?;
            }
        }
        self.save_with(|saved| {
            if let Some(slot) = saved.profiles.iter_mut().find(|p| p.id == profile.id) {
                *slot = profile.clone();
            }
        })?;
        tracing::info!(profile = %id, "updated a profile");
        Ok(self.view(&profile))
    }

    /// Deletes a profile and its keyring entry. When the keyring cannot delete the entry, the
    /// profile stays, so no key is left behind unseen.
    pub async fn delete_profile(&self, id: &str) -> Result<(), AppError> {
        let profile = self.profile(id)?;
        if id == SANDBOX_PROFILE_ID {
            return Err(AppError::new(
                ErrorKind::Validation,
                "The local sandbox is built in and cannot be deleted.",
            ));
        }
        if let ProfileSource::Keys { storage, .. } = profile.source {
            self.forget_stored_keys(id, storage).await?;
        }
        self.save_with(|saved| {
            saved.profiles.retain(|p| p.id != id);
            if saved
                .last_selection
                .as_ref()
                .is_some_and(|s| s.profile_id == id)
            {
                saved.last_selection = None;
            }
        })?;
        tracing::info!(profile = %id, "deleted a profile");
        Ok(())
    }

    /// The profiles of the shared AWS files, each marked when a Lambdesk profile already uses it.
    pub async fn scan_shared(&self) -> Result<SharedProfilesScan, AppError> {
        let mut scan = self.shared_files.scan().await?;
        let saved = lock(&self.saved);
        for found in &mut scan.profiles {
            found.already_added = saved.profiles.iter().any(|p| {
                matches!(&p.source, ProfileSource::Shared { profile_name, .. } if *profile_name == found.name)
            });
        }
        Ok(scan)
    }

    /// Adds a profile from the shared files: static keys copied into the keyring, or any profile
    /// used in place through aws-config. The files are only read.
    pub async fn import_shared(
        &self,
        shared_name: &str,
        settings: &ProfileSettings,
        mode: ImportMode,
    ) -> Result<ProfileView, AppError> {
        let scan = self.shared_files.scan().await?;
        let found = scan
            .profiles
            .iter()
            .find(|p| p.name == shared_name)
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::NotFound,
                    format!("There is no profile \"{shared_name}\" in the AWS config files."),
                )
                .with_hint("Scan the files again; it may have been renamed or removed.")
            })?;
        if found.kind == SharedKind::NoCredentials {
            return Err(AppError::new(
                ErrorKind::Validation,
                format!("Profile \"{shared_name}\" has no credentials to sign requests with."),
            )
            .with_hint("Add keys, SSO or a role to it in the AWS config files, or add a profile with access keys here."));
        }
        let settings = self.checked_settings(settings, None)?;
        if mode == ImportMode::CopyKeys {
            if found.kind != SharedKind::StaticKeys {
                return Err(AppError::new(
                    ErrorKind::Validation,
                    format!("Profile \"{shared_name}\" has no static keys to copy."),
                )
                .with_hint(
                    "Use it as it is: Lambdesk then gets its credentials the way the AWS CLI does.",
                ));
            }
            let keys = self.shared_files.static_keys(shared_name).await?;
            let view = self
                .insert_keys_profile(settings, keys, None, false)
                .await?;
            tracing::info!(profile = %view.id, "copied a shared profile's keys into the keyring");
            return Ok(view);
        }
        let profile = self.new_profile(
            settings,
            ProfileSource::Shared {
                profile_name: shared_name.to_owned(),
                kind: found.kind,
            },
        );
        self.save_with(|saved| saved.profiles.push(profile.clone()))?;
        tracing::info!(profile = %profile.id, "added a shared profile");
        Ok(self.view(&profile))
    }

    /// Remembers the user's choice for the next start.
    pub fn remember_selection(&self, selection: Selection) -> Result<(), AppError> {
        self.profile(&selection.profile_id)?;
        validate::region(&selection.region)?;
        self.save_with(|saved| saved.last_selection = Some(selection))
    }

    fn new_profile(&self, settings: ProfileSettings, source: ProfileSource) -> Profile {
        Profile {
            id: self.new_id(),
            name: settings.name,
            default_region: settings.default_region,
            production: settings.production,
            source,
        }
    }

    /// Stores the keys, then the profile; if the file cannot be written, the keys are removed
    /// again from where they went, so nothing is left half-saved.
    async fn insert_keys_profile(
        &self,
        settings: ProfileSettings,
        keys: AccessKeys,
        endpoint_url: Option<String>,
        session_only: bool,
    ) -> Result<ProfileView, AppError> {
        let storage = storage_of(session_only);
        let profile = self.new_profile(
            settings,
            ProfileSource::Keys {
                masked_key_id: keys.masked_key_id(),
                endpoint_url,
                storage,
            },
        );
        self.store_keys(&profile.id, keys, session_only).await?;
        if let Err(error) = self.save_with(|saved| saved.profiles.push(profile.clone())) {
            self.forget_stored_keys(&profile.id, storage).await.ok();
            return Err(error);
        }
        Ok(self.view(&profile))
    }

    fn view(&self, profile: &Profile) -> ProfileView {
        profile.view(lock(&self.session_keys).contains_key(&profile.id))
    }

    fn checked_settings(
        &self,
        settings: &ProfileSettings,
        editing: Option<&str>,
    ) -> Result<ProfileSettings, AppError> {
        let sandbox_name = self.sandbox().name;
        let saved = lock(&self.saved);
        let taken: Vec<&str> = std::iter::once(sandbox_name.as_str())
            .chain(
                saved
                    .profiles
                    .iter()
                    .filter(|p| Some(p.id.as_str()) != editing)
                    .map(|p| p.name.as_str()),
            )
            .collect();
        validate::profile_settings(settings, &taken)
    }

    async fn keyring(&self) -> Result<SecretStore, AppError> {
        let mut slot = self.keyring.lock().await;
        if let Some(outcome) = slot.as_ref() {
            return outcome.clone();
        }
        let service = self.keyring_service.clone();
        let probe = blocking(move || {
            let store = SecretStore::open(&service)?;
            store.probe()?;
            Ok(store)
        });
        let outcome = match tokio::time::timeout(KEYRING_TIMEOUT, probe).await {
            Ok(outcome) => outcome,
            Err(_) => Err(AppError::new(
                ErrorKind::Keyring,
                "The OS keyring did not answer within a minute.",
            )
            .with_hint("It may be waiting for you to unlock it: unlock it, then press Check again. Until then, keys can be kept for this session only.")),
        };
        match &outcome {
            Ok(_) => tracing::info!("the OS keyring works"),
            Err(error) => tracing::warn!(message = %error.message, "the OS keyring is unavailable"),
        }
        *slot = Some(outcome.clone());
        outcome
    }

    /// Runs one call on a profile's keyring entry, off the async runtime.
    async fn in_keyring<T: Send + 'static>(
        &self,
        profile_id: &str,
        call: impl FnOnce(&SecretStore, &str) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.keyring().await?;
        let key = entry_key(profile_id);
        blocking(move || call(&store, &key)).await
    }

    async fn store_keys(
        &self,
        id: &str,
        keys: AccessKeys,
        session_only: bool,
    ) -> Result<(), AppError> {
        if session_only {
            lock(&self.session_keys).insert(id.to_owned(), keys);
            return Ok(());
        }
        let value = keys.to_keyring_value();
        self.in_keyring(id, move |store, key| store.set(key, &value))
            .await
    }

    async fn forget_stored_keys(&self, id: &str, storage: KeyStorage) -> Result<(), AppError> {
        match storage {
            KeyStorage::Session => {
                lock(&self.session_keys).remove(id);
                Ok(())
            }
            KeyStorage::Keyring => self.in_keyring(id, |store, key| store.delete(key)).await,
        }
    }

    fn new_id(&self) -> String {
        let saved = lock(&self.saved);
        let mut stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        loop {
            let id = format!("p-{stamp:x}");
            if !saved.profiles.iter().any(|p| p.id == id) {
                return id;
            }
            stamp += 1;
        }
    }

    /// Applies a change and writes the file; on a failed write the change is rolled back.
    fn save_with(&self, change: impl FnOnce(&mut ProfilesFile)) -> Result<(), AppError> {
        let mut saved = lock(&self.saved);
        let before = serde_json::to_vec(&*saved).expect("profiles serialise");
        change(&mut saved);
        let text = serde_json::to_vec_pretty(&*saved).expect("profiles serialise");
        if let Err(error) = write_private(&self.file, &text) {
            *saved = serde_json::from_slice(&before).expect("what was written reads back");
            return Err(error);
        }
        Ok(())
    }
}

fn status_of(outcome: Result<SecretStore, AppError>) -> KeyringStatus {
    match outcome {
        Ok(_) => KeyringStatus {
            available: true,
            problem: None,
        },
        Err(problem) => KeyringStatus {
            available: false,
            problem: Some(problem),
        },
    }
}

fn storage_of(session_only: bool) -> KeyStorage {
    if session_only {
        KeyStorage::Session
    } else {
        KeyStorage::Keyring
    }
}

/// The keyring entry of a profile, by id so that renaming it leaves the entry in place.
fn entry_key(profile_id: &str) -> String {
    format!("profile:{profile_id}")
}

fn no_such_profile(id: &str) -> AppError {
    AppError::new(
        ErrorKind::NotFound,
        format!("There is no profile \"{id}\"."),
    )
    .with_hint("Pick a profile from the list; it may have been deleted.")
    .with_field("profile")
}

fn missing_keys(name: &str, storage: KeyStorage) -> AppError {
    let message = match storage {
        KeyStorage::Session => format!(
            "The keys of profile \"{name}\" were kept for one session only, and that session has ended."
        ),
        KeyStorage::Keyring => {
            format!("The OS keyring holds no keys for profile \"{name}\".")
        }
    };
    AppError::new(ErrorKind::AuthExpired, message)
        .with_hint("Open Profiles, choose Edit on this profile and enter its keys again.")
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every change under these locks is applied whole, so a panic elsewhere cannot leave one
    // half-done.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs a keyring call on the blocking pool: the platform stores block, and some panic when
/// called on an async worker.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(call).await.unwrap_or_else(|_| {
        Err(AppError::new(
            ErrorKind::Keyring,
            "The OS keyring call failed unexpectedly.",
        )
        .with_hint(
            "Try again; if it keeps failing, restart Lambdesk and report it with the log file.",
        ))
    })
}

fn read_file(file: &Path) -> Result<ProfilesFile, AppError> {
    let text = match std::fs::read(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ProfilesFile::default());
        }
        Err(err) => {
            return Err(AppError::new(
                ErrorKind::Unknown,
                format!("Could not read {}: {err}", file.display()),
            )
            .with_hint("Check the file's permissions, then restart Lambdesk."));
        }
    };
    serde_json::from_slice(&text).map_err(|err| {
        let aside = file.with_extension("json.unreadable");
        let moved = std::fs::rename(file, &aside).is_ok();
        AppError::new(
            ErrorKind::Unknown,
            format!("The saved profiles in {} could not be read: {err}", file.display()),
        )
        .with_hint(if moved {
            format!("The file was kept as {}; add the profiles again or repair that file and move it back.", aside.display())
        } else {
            "Repair or remove the file, then restart Lambdesk.".to_owned()
        })
    })
}

fn write_private(file: &Path, contents: &[u8]) -> Result<(), AppError> {
    crate::paths::write_private(file, contents).map_err(|err| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not save the profiles to {}: {err}", file.display()),
        )
        .with_hint("Check that the folder is writable and the disk is not full, then try again.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Secret;

    fn store_in(dir: &Path) -> ProfileStore {
        ProfileStore::open(
            dir,
            Profile::sandbox("http://127.0.0.1:1"),
            SharedFiles {
                config: dir.join("aws-config"),
                credentials: dir.join("aws-credentials"),
            },
            "lambdesk-unit-test",
        )
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lambdesk-store-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn settings(name: &str) -> ProfileSettings {
        ProfileSettings {
            name: name.into(),
            default_region: "eu-west-1".into(),
            production: false,
        }
    }

    fn keys() -> KeysInput {
        KeysInput {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            session_token: None,
            endpoint_url: None,
        }
    }

    #[tokio::test]
    async fn session_only_keys_are_never_written_and_vanish_with_the_store() {
        let dir = temp_dir("session");
        let store = store_in(&dir);
        let view = store
            .add_keys_profile(&settings("Work"), &keys(), true)
            .await
            .unwrap();
        assert_eq!(view.key_storage, Some(KeyStorage::Session));
        assert!(view.keys_available);
        let file = std::fs::read_to_string(dir.join(FILE_NAME)).unwrap();
        assert!(!file.contains("wJalrXUtnFEMI"));
        assert!(!file.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(file.contains("AKIA…MPLE"));
        assert!(matches!(
            store.access(&view.id).await,
            Ok(Access::Keys { .. })
        ));

        let reopened = store_in(&dir);
        let again = reopened.profile(&view.id).unwrap();
        assert_eq!(again.name, "Work");
        assert!(!reopened.overview().profiles[1].keys_available);
        let error = reopened.access(&view.id).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::AuthExpired);
        assert!(error.hint.unwrap().contains("Edit"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn names_are_unique_and_the_sandbox_cannot_be_changed() {
        let dir = temp_dir("names");
        let store = store_in(&dir);
        store
            .add_keys_profile(&settings("Work"), &keys(), true)
            .await
            .unwrap();
        let error = store
            .add_keys_profile(&settings("work"), &keys(), true)
            .await
            .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("name"));
        let error = store
            .add_keys_profile(&settings("Local sandbox"), &keys(), true)
            .await
            .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("name"));
        assert!(store.delete_profile(SANDBOX_PROFILE_ID).await.is_err());
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn the_last_selection_is_remembered_until_its_profile_goes() {
        let dir = temp_dir("selection");
        let store = store_in(&dir);
        let view = store
            .add_keys_profile(&settings("Work"), &keys(), true)
            .await
            .unwrap();
        store
            .remember_selection(Selection {
                profile_id: view.id.clone(),
                region: "eu-central-1".into(),
            })
            .unwrap();
        assert_eq!(store_in(&dir).overview().selection.region, "eu-central-1");
        store.delete_profile(&view.id).await.unwrap();
        assert_eq!(
            store_in(&dir).overview().selection.profile_id,
            SANDBOX_PROFILE_ID
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn an_unreadable_file_is_set_aside_and_reported() {
        let dir = temp_dir("corrupt");
        std::fs::write(dir.join(FILE_NAME), b"{ not json").unwrap();
        let store = store_in(&dir);
        let overview = store.overview();
        assert_eq!(overview.profiles.len(), 1);
        assert!(
            overview
                .problem
                .unwrap()
                .hint
                .unwrap()
                .contains("json.unreadable")
        );
        assert!(dir.join("profiles.json.unreadable").exists());
        std::fs::remove_dir_all(dir).ok();
    }
}
