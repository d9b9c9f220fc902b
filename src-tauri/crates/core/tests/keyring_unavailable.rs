//! With no usable keyring: Lambdesk says what is wrong and how to fix it, saves nothing half-way,
//! and offers to keep keys for this session only. `make test-keyring` runs it twice: with
//! `DBUS_SESSION_BUS_ADDRESS` pointing at nothing (no Secret Service, as on a minimal desktop), and
//! against a gnome-keyring that is locked and whose unlock prompt cannot be shown (as when the user
//! dismisses it). A read alone would miss the second; the probe writes.

use lambdesk_core::ErrorKind;
use lambdesk_core::profiles::{
    KeyStorage, KeysInput, Profile, ProfileSettings, ProfileStore, SharedFiles,
};
use lambdesk_core::secrets::Secret;

#[tokio::test]
#[ignore = "needs a session with no usable Secret Service: run `make test-keyring`"]
async fn an_unusable_keyring_is_explained_and_keys_can_stay_for_the_session() {
    let dir = std::env::temp_dir().join(format!("lambdesk-no-keyring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = ProfileStore::open(
        &dir,
        Profile::sandbox("http://127.0.0.1:1"),
        SharedFiles {
            config: dir.join("config"),
            credentials: dir.join("credentials"),
        },
        "lambdesk-no-keyring-test",
    );

    let status = store.keyring_status().await;
    assert!(!status.available);
    let problem = status.problem.unwrap();
    assert_eq!(problem.kind, ErrorKind::Keyring);
    let hint = problem.hint.unwrap();
    assert!(
        hint.contains("gnome-keyring") && hint.contains("KeePassXC"),
        "{hint}"
    );
    assert!(hint.contains("this session only"), "{hint}");

    let settings = ProfileSettings {
        name: "Work".into(),
        default_region: "eu-west-1".into(),
        production: false,
    };
    let keys = KeysInput {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: None,
        endpoint_url: None,
    };
    let error = store
        .add_keys_profile(&settings, &keys, false)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Keyring);
    assert_eq!(store.overview().profiles.len(), 1, "nothing saved half-way");
    assert!(!dir.join("profiles.json").exists());

    let view = store
        .add_keys_profile(&settings, &keys, true)
        .await
        .unwrap();
    assert_eq!(view.key_storage, Some(KeyStorage::Session));
    let saved = std::fs::read_to_string(dir.join("profiles.json")).unwrap();
    assert!(
        !saved.contains("wJalrXUtnFEMI"),
        "never a plaintext fallback"
    );
    std::fs::remove_dir_all(dir).ok();
}
