//! The shared AWS config files (`~/.aws/config`, `~/.aws/credentials`, or where `AWS_CONFIG_FILE`
//! and `AWS_SHARED_CREDENTIALS_FILE` point): read with aws-config's own parser, never written.

use std::path::PathBuf;

use aws_config::profile::{Profile as FileProfile, ProfileSet};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::keys::{AccessKeys, mask_key_id};
use crate::error::{AppError, ErrorKind};
use crate::secrets::Secret;

/// How a shared profile gets its credentials, in the order aws-config tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SharedKind {
    AssumeRole,
    WebIdentity,
    Sso,
    StaticKeys,
    CredentialProcess,
    /// Settings only (a region, say): nothing to sign requests with.
    NoCredentials,
}

/// One profile found in the shared files, as the import list shows it: no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharedProfile {
    pub name: String,
    pub kind: SharedKind,
    pub region: Option<String>,
    pub masked_key_id: Option<String>,
    pub role_arn: Option<String>,
    pub source_profile: Option<String>,
    pub mfa_serial: Option<String>,
    pub sso_start_url: Option<String>,
    /// Whether a Lambdesk profile already comes from it.
    pub already_added: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharedProfilesScan {
    pub config_file: String,
    pub credentials_file: String,
    pub profiles: Vec<SharedProfile>,
}

/// The two shared files, located once so the import list and later use agree on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFiles {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl SharedFiles {
    /// The AWS CLI's rules: the environment variables, else `.aws/` in the home folder.
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        let home = var("HOME")
            .or_else(|| var("USERPROFILE"))
            .unwrap_or_default()
            .join(".aws");
        Self {
            config: var("AWS_CONFIG_FILE").unwrap_or_else(|| home.join("config")),
            credentials: var("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or_else(|| home.join("credentials")),
        }
    }

    /// The files as aws-config takes them, so a profile is read exactly as the scan read it. A
    /// file named explicitly must exist, so a missing one is left out.
    pub fn env_config_files(&self) -> EnvConfigFiles {
        let mut files = EnvConfigFiles::builder()
            .include_default_config_file(false)
            .include_default_credentials_file(false);
        for (kind, path) in [
            (EnvConfigFileKind::Config, &self.config),
            (EnvConfigFileKind::Credentials, &self.credentials),
        ] {
            if path.exists() {
                files = files.with_file(kind, path);
            }
        }
        files.build()
    }

    async fn load(&self) -> Result<ProfileSet, AppError> {
        if !self.config.exists() && !self.credentials.exists() {
            return Ok(ProfileSet::default());
        }
        aws_config::profile::load(&Fs::real(), &Env::real(), &self.env_config_files(), None)
            .await
            .map_err(|err| {
                AppError::new(
                    ErrorKind::Validation,
                    format!("Could not read the AWS config files: {err}"),
                )
                .with_hint(format!(
                    "Fix the syntax of {} or {} (the AWS CLI reads them the same way).",
                    self.config.display(),
                    self.credentials.display()
                ))
            })
    }

    /// Every profile in the files, sorted by name. Missing files simply hold none.
    pub async fn scan(&self) -> Result<SharedProfilesScan, AppError> {
        let set = self.load().await?;
        let mut profiles: Vec<SharedProfile> = set
            .profiles()
            .filter_map(|name| set.get_profile(name))
            .map(describe)
            .collect();
        profiles.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(SharedProfilesScan {
            config_file: self.config.display().to_string(),
            credentials_file: self.credentials.display().to_string(),
            profiles,
        })
    }

    /// The static keys of one profile, to copy into the keyring.
    pub async fn static_keys(&self, name: &str) -> Result<AccessKeys, AppError> {
        let set = self.load().await?;
        let profile = set.get_profile(name).ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                format!("There is no profile \"{name}\" in the AWS config files."),
            )
            .with_hint("Scan the files again; the profile may have been renamed or removed.")
        })?;
        match (
            profile.get("aws_access_key_id"),
            profile.get("aws_secret_access_key"),
        ) {
            (Some(id), Some(secret)) => Ok(AccessKeys {
                access_key_id: id.to_owned(),
                secret_access_key: Secret::new(secret),
                session_token: profile.get("aws_session_token").map(Secret::new),
            }),
            _ => Err(AppError::new(
                ErrorKind::Validation,
                format!("Profile \"{name}\" holds no complete pair of access keys."),
            )
            .with_hint("Only profiles with aws_access_key_id and aws_secret_access_key can be copied into the keyring; use the others as they are.")),
        }
    }
}

fn kind_of(profile: &FileProfile) -> SharedKind {
    let has = |key: &str| profile.get(key).is_some_and(|value| !value.is_empty());
    if has("role_arn") {
        SharedKind::AssumeRole
    } else if has("web_identity_token_file") {
        SharedKind::WebIdentity
    } else if has("sso_session") || has("sso_start_url") {
        SharedKind::Sso
    } else if has("aws_access_key_id") {
        SharedKind::StaticKeys
    } else if has("credential_process") {
        SharedKind::CredentialProcess
    } else {
        SharedKind::NoCredentials
    }
}

fn describe(profile: &FileProfile) -> SharedProfile {
    let get = |key: &str| profile.get(key).map(str::to_owned);
    SharedProfile {
        name: profile.name().to_owned(),
        kind: kind_of(profile),
        region: get("region"),
        masked_key_id: profile.get("aws_access_key_id").map(mask_key_id),
        role_arn: get("role_arn"),
        source_profile: get("source_profile").or_else(|| get("credential_source")),
        mfa_serial: get("mfa_serial"),
        sso_start_url: get("sso_start_url").or_else(|| get("sso_session")),
        already_added: false,
    }
}
