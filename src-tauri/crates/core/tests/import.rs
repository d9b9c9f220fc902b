//! Importing from the shared AWS files, read from fixtures: every kind of profile is recognised,
//! nothing secret is listed, and the files are never written.

use std::path::{Path, PathBuf};

use lambdesk_core::ErrorKind;
use lambdesk_core::profiles::{
    ImportMode, Profile, ProfileKind, ProfileSettings, ProfileStore, SharedFiles, SharedKind,
};

fn fixture_files() -> SharedFiles {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    SharedFiles {
        config: dir.join("config"),
        credentials: dir.join("credentials"),
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdesk-import-{name}-{}", std::process::id()));
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

#[tokio::test]
async fn every_kind_of_shared_profile_is_recognised() {
    let scan = fixture_files().scan().await.unwrap();
    let kinds: Vec<(&str, SharedKind)> = scan
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("admin", SharedKind::AssumeRole),
            ("default", SharedKind::StaticKeys),
            ("legacy-sso", SharedKind::Sso),
            ("settings-only", SharedKind::NoCredentials),
            ("sso-work", SharedKind::Sso),
            ("static", SharedKind::StaticKeys),
            ("vault", SharedKind::CredentialProcess),
        ]
    );
    let by_name = |name: &str| scan.profiles.iter().find(|p| p.name == name).unwrap();
    assert_eq!(
        by_name("static").masked_key_id.as_deref(),
        Some("AKIA…0001")
    );
    assert_eq!(by_name("static").region.as_deref(), Some("eu-central-1"));
    let admin = by_name("admin");
    assert_eq!(admin.source_profile.as_deref(), Some("static"));
    assert_eq!(
        admin.mfa_serial.as_deref(),
        Some("arn:aws:iam::123456789012:mfa/ann")
    );
    assert_eq!(by_name("sso-work").sso_start_url.as_deref(), Some("work"));
    assert_eq!(
        by_name("legacy-sso").sso_start_url.as_deref(),
        Some("https://legacy.awsapps.com/start")
    );

    let listed = serde_json::to_string(&scan).unwrap();
    assert!(!listed.contains("fixtureSECRET"), "no secret in the list");
    assert!(!listed.contains("defaultSECRET"), "no secret in the list");
    assert!(
        !listed.contains("AKIASTATIC0000000001"),
        "key ids are masked"
    );
}

#[tokio::test]
async fn missing_files_hold_no_profiles() {
    let dir = temp_dir("missing");
    let scan = SharedFiles {
        config: dir.join("config"),
        credentials: dir.join("credentials"),
    }
    .scan()
    .await
    .unwrap();
    assert!(scan.profiles.is_empty());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn profiles_are_used_in_place_without_copying_or_writing_anything() {
    let files = fixture_files();
    let before = (
        std::fs::read(&files.config).unwrap(),
        std::fs::read(&files.credentials).unwrap(),
    );
    let dir = temp_dir("in-place");
    let store = ProfileStore::open(
        &dir,
        Profile::sandbox("http://127.0.0.1:1"),
        files.clone(),
        "unused",
    );

    for (shared, name) in [("sso-work", "Work"), ("admin", "Admin"), ("vault", "Vault")] {
        let view = store
            .import_shared(shared, &settings(name), ImportMode::UseInPlace)
            .await
            .unwrap();
        assert_eq!(view.kind, ProfileKind::Shared);
        assert_eq!(view.shared_profile.as_deref(), Some(shared));
    }
    let scan = store.scan_shared().await.unwrap();
    let added: Vec<&str> = scan
        .profiles
        .iter()
        .filter(|p| p.already_added)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(added, ["admin", "sso-work", "vault"]);

    let saved = std::fs::read_to_string(dir.join("profiles.json")).unwrap();
    assert!(!saved.contains("SECRET"));
    assert_eq!(
        (
            std::fs::read(&files.config).unwrap(),
            std::fs::read(&files.credentials).unwrap()
        ),
        before,
        "the shared files are never written"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn only_static_keys_can_be_copied_and_settings_only_profiles_not_used() {
    let dir = temp_dir("refused");
    let store = ProfileStore::open(
        &dir,
        Profile::sandbox("http://127.0.0.1:1"),
        fixture_files(),
        "unused",
    );
    let error = store
        .import_shared("sso-work", &settings("Work"), ImportMode::CopyKeys)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    assert!(error.hint.unwrap().contains("Use it as it is"));
    let error = store
        .import_shared(
            "settings-only",
            &settings("Nothing"),
            ImportMode::UseInPlace,
        )
        .await
        .unwrap_err();
    assert!(error.message.contains("no credentials"));
    let error = store
        .import_shared("absent", &settings("Absent"), ImportMode::UseInPlace)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert_eq!(store.overview().profiles.len(), 1, "nothing was added");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_malformed_file_is_a_clear_error_naming_it() {
    let dir = temp_dir("malformed");
    let config = dir.join("config");
    std::fs::write(&config, "[profile broken\nregion = x\n").unwrap();
    let error = SharedFiles {
        config: config.clone(),
        credentials: dir.join("credentials"),
    }
    .scan()
    .await
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    assert!(error.hint.unwrap().contains(&config.display().to_string()));
    std::fs::remove_dir_all(dir).ok();
}
