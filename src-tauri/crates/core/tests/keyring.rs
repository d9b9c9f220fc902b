//! The secret store and the profile store against a real Secret Service. Run through `scripts/with-keyring.sh` (as
//! `make test-keyring` does), which provides a private, unlocked gnome-keyring; the tests are
//! `#[ignore]`d so a plain `cargo test` does not touch the developer's own keyring.

use std::process::Command;

use lambdesk_core::ErrorKind;
use lambdesk_core::aws::Access;
use lambdesk_core::profiles::{
    AccessKeys, ImportMode, KeyStorage, KeysInput, Profile, ProfileKind, ProfileSettings,
    ProfileStore, SharedFiles,
};
use lambdesk_core::secrets::{Secret, SecretStore};

const TEST_SERVICE: &str = "lambdesk-keyring-test";

#[test]
#[ignore = "needs a private Secret Service: run `make test-keyring`"]
fn a_secret_is_stored_read_back_and_deleted() {
    let store = SecretStore::open(TEST_SERVICE).expect("open the Secret Service");
    let secret = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    store.set("profile-a", &secret).expect("set");
    assert_eq!(store.get("profile-a").expect("get"), Some(secret.clone()));

    let listing = Command::new("secret-tool")
        .args(["search", "--all", "service", TEST_SERVICE])
        .output()
        .expect("run secret-tool");
    let found = String::from_utf8_lossy(&listing.stdout);
    assert!(
        found.contains("profile-a"),
        "secret-tool sees the item: {found}"
    );

    store.delete("profile-a").expect("delete");
    assert_eq!(store.get("profile-a").expect("get after delete"), None);
    store
        .delete("profile-a")
        .expect("deleting twice is not an error");
}

#[test]
#[ignore = "needs a private Secret Service: run `make test-keyring`"]
fn two_entries_stay_apart() {
    let store = SecretStore::open(TEST_SERVICE).expect("open the Secret Service");
    store.set("work", &Secret::new("work-secret")).unwrap();
    store
        .set("personal", &Secret::new("personal-secret"))
        .unwrap();

    assert_eq!(store.get("work").unwrap(), Some(Secret::new("work-secret")));
    assert_eq!(
        store.get("personal").unwrap(),
        Some(Secret::new("personal-secret"))
    );

    store.delete("work").unwrap();
    assert_eq!(store.get("work").unwrap(), None);
    assert_eq!(
        store.get("personal").unwrap(),
        Some(Secret::new("personal-secret"))
    );
    store.delete("personal").unwrap();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdesk-keyring-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn profile_store(dir: &std::path::Path, service: &str) -> ProfileStore {
    ProfileStore::open(
        dir,
        Profile::sandbox("http://127.0.0.1:1"),
        SharedFiles {
            config: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/aws/config"),
            credentials: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/aws/credentials"),
        },
        service,
    )
}

fn keys_input(key_id: &str, secret: &str) -> KeysInput {
    KeysInput {
        access_key_id: key_id.into(),
        secret_access_key: Secret::new(secret),
        session_token: None,
        endpoint_url: None,
    }
}

fn settings(name: &str) -> ProfileSettings {
    ProfileSettings {
        name: name.into(),
        default_region: "eu-west-1".into(),
        production: false,
    }
}

fn stored_items(service: &str) -> String {
    let listing = Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .output()
        .expect("run secret-tool");
    String::from_utf8_lossy(&listing.stdout).into_owned()
        + &String::from_utf8_lossy(&listing.stderr)
}

async fn keys_of(store: &ProfileStore, id: &str) -> AccessKeys {
    match store.access(id).await.expect("access") {
        Access::Keys { keys, .. } => keys,
        other => panic!("expected keys, got {other:?}"),
    }
}

#[tokio::test]
#[ignore = "needs a private Secret Service: run `make test-keyring`"]
async fn a_profile_is_added_read_back_renamed_and_deleted() {
    let dir = temp_dir("lifecycle");
    let service = "lambdesk-keyring-test-lifecycle";
    let store = profile_store(&dir, service);
    assert!(store.keyring_status().await.available);
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    let view = store
        .add_keys_profile(
            &settings("Work"),
            &keys_input("AKIAIOSFODNN7EXAMPLE", secret),
            false,
        )
        .await
        .unwrap();
    assert_eq!(view.key_storage, Some(KeyStorage::Keyring));
    assert!(view.keys_available);
    assert_eq!(view.masked_key_id.as_deref(), Some("AKIA…MPLE"));
    let keys = keys_of(&store, &view.id).await;
    assert_eq!(keys.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(keys.secret_access_key.expose(), secret);
    let entry = format!("profile:{}", view.id);
    assert!(
        stored_items(service).contains(&entry),
        "secret-tool finds the item"
    );
    assert!(
        !std::fs::read_to_string(dir.join("profiles.json"))
            .unwrap()
            .contains(secret)
    );

    let renamed = store
        .update_profile(&view.id, &settings("Work (EU)"), None)
        .await
        .unwrap();
    assert_eq!(renamed.name, "Work (EU)");
    assert_eq!(
        keys_of(&store, &view.id).await.secret_access_key.expose(),
        secret
    );
    assert!(
        stored_items(service).contains(&entry),
        "renaming keeps the entry"
    );

    store.delete_profile(&view.id).await.unwrap();
    assert!(
        !stored_items(service).contains(&entry),
        "deleting removes the entry"
    );
    assert_eq!(
        store.access(&view.id).await.unwrap_err().kind,
        ErrorKind::NotFound
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
#[ignore = "needs a private Secret Service: run `make test-keyring`"]
async fn two_profiles_keep_their_own_keys_and_new_keys_replace_old_ones() {
    let dir = temp_dir("apart");
    let store = profile_store(&dir, "lambdesk-keyring-test-apart");
    let work = store
        .add_keys_profile(
            &settings("Work"),
            &keys_input("AKIAWORK000000000001", "work-secret"),
            false,
        )
        .await
        .unwrap();
    let home = store
        .add_keys_profile(
            &settings("Home"),
            &keys_input("AKIAHOME000000000002", "home-secret"),
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        keys_of(&store, &work.id).await.secret_access_key.expose(),
        "work-secret"
    );
    assert_eq!(
        keys_of(&store, &home.id).await.secret_access_key.expose(),
        "home-secret"
    );

    let rotated = store
        .update_profile(
            &work.id,
            &settings("Work"),
            Some((&keys_input("AKIAWORK000000000009", "rotated-secret"), false)),
        )
        .await
        .unwrap();
    assert_eq!(rotated.masked_key_id.as_deref(), Some("AKIA…0009"));
    assert_eq!(
        keys_of(&store, &work.id).await.secret_access_key.expose(),
        "rotated-secret"
    );
    assert_eq!(
        keys_of(&store, &home.id).await.secret_access_key.expose(),
        "home-secret"
    );

    // A profile reopened from its file finds its keys in the keyring.
    let reopened = profile_store(&dir, "lambdesk-keyring-test-apart");
    assert_eq!(
        keys_of(&reopened, &home.id).await.access_key_id,
        "AKIAHOME000000000002"
    );
    store.delete_profile(&work.id).await.unwrap();
    store.delete_profile(&home.id).await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
#[ignore = "needs a private Secret Service: run `make test-keyring`"]
async fn static_keys_are_copied_from_the_shared_files_into_the_keyring() {
    let dir = temp_dir("import");
    let service = "lambdesk-keyring-test-import";
    let store = profile_store(&dir, service);
    let view = store
        .import_shared("static", &settings("Static"), ImportMode::CopyKeys)
        .await
        .unwrap();
    assert_eq!(view.kind, ProfileKind::Keys);
    let keys = keys_of(&store, &view.id).await;
    assert_eq!(keys.access_key_id, "AKIASTATIC0000000001");
    assert_eq!(
        keys.secret_access_key.expose(),
        "fixtureSECRETfixtureSECRETfixtureSECRET1"
    );
    assert!(stored_items(service).contains(&format!("profile:{}", view.id)));
    assert!(
        !std::fs::read_to_string(dir.join("profiles.json"))
            .unwrap()
            .contains("fixtureSECRET")
    );
    store.delete_profile(&view.id).await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}
