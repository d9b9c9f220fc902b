//! What the app holds between commands: its profiles, and an `AwsContext` per profile and region
//! so the account lookup is not repeated on every call.

use std::collections::HashMap;
use std::sync::Mutex;

use lambdesk_core::profiles::Profile;
use lambdesk_core::{AppError, AwsContext, ErrorKind};

pub struct AppState {
    profiles: Vec<Profile>,
    contexts: Mutex<HashMap<(String, String), AwsContext>>,
}

impl AppState {
    pub fn new(profiles: Vec<Profile>) -> Self {
        Self {
            profiles,
            contexts: Mutex::default(),
        }
    }

    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// The context for a profile and region, built on first use. A failed build is not kept, so
    /// Retry tries again.
    pub async fn context(&self, profile_id: &str, region: &str) -> Result<AwsContext, AppError> {
        lambdesk_core::validate::region(region)?;
        let key = (profile_id.to_owned(), region.to_owned());
        if let Some(ctx) = self.cached(&key) {
            return Ok(ctx);
        }
        let profile = self
            .profiles
            .iter()
            .find(|profile| profile.id == profile_id)
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::NotFound,
                    format!("There is no profile \"{profile_id}\"."),
                )
                .with_hint("Pick a profile from the list; it may have been deleted.")
                .with_field("profile")
            })?;
        let ctx = lambdesk_core::build_context(profile, region).await?;
        self.lock().insert(key, ctx.clone());
        Ok(ctx)
    }

    fn cached(&self, key: &(String, String)) -> Option<AwsContext> {
        self.lock().get(key).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), AwsContext>> {
        // A panic while holding the lock cannot leave the map half-written: inserts are atomic.
        self.contexts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
