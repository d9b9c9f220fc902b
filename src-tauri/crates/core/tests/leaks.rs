//! Secrets stay secret: three profiles with known secrets are added, used and broken, then the
//! app's config and data folders (the log included) and every payload the UI would receive are
//! searched for the secrets. Needs the real keyring and the sandbox: run `make test-keyring`.

mod common;

use std::path::Path;

use lambdesk_core::aws::{Access, verify};
use lambdesk_core::paths::AppDirs;
use lambdesk_core::profiles::{KeysInput, Profile, ProfileSettings, ProfileStore, SharedFiles};
use lambdesk_core::secrets::Secret;

/// Each profile's secret parts; moto checks none, so any value signs its requests.
const CANARIES: [(&str, &str, Option<&str>); 3] = [
    (
        "AKIALEAKCANARY000001",
        "LeakCanarySecretOne/0000000000000000000",
        None,
    ),
    (
        "ASIALEAKCANARY000002",
        "LeakCanarySecretTwo/0000000000000000000",
        Some("LeakCanaryTokenTwo0000000000"),
    ),
    (
        "AKIALEAKCANARY000003",
        "LeakCanarySecretThree/00000000000000000",
        None,
    ),
];

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[tokio::test]
#[ignore = "needs the keyring and the sandbox: run `make test-keyring`"]
async fn no_secret_reaches_a_file_a_log_or_the_ui() {
    let root = std::env::temp_dir().join(common::unique_name("lambdesk-leaks"));
    let dirs = AppDirs {
        config: root.join("config/lambdesk"),
        data: root.join("data/lambdesk"),
    };
    dirs.create().unwrap();
    lambdesk_core::logging::init(&dirs);
    let url = common::sandbox_url();
    let store = ProfileStore::open(
        &dirs.config,
        Profile::sandbox(&url),
        SharedFiles {
            config: root.join("aws-config"),
            credentials: root.join("aws-credentials"),
        },
        "lambdesk-leak-test",
    );

    let mut payloads: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    for (index, (key_id, secret, token)) in CANARIES.iter().enumerate() {
        let input = KeysInput {
            access_key_id: (*key_id).to_owned(),
            secret_access_key: Secret::new(*secret),
            session_token: token.map(Secret::new),
            endpoint_url: Some(url.clone()),
        };
        let settings = ProfileSettings {
            name: format!("Canary {index}"),
            default_region: "us-east-1".into(),
            production: index == 0,
        };
        let identity = verify(
            &Access::Keys {
                keys: input.keys(),
                endpoint_url: input.endpoint(),
            },
            "us-east-1",
        )
        .await
        .unwrap();
        payloads.push(serde_json::to_string(&identity).unwrap());
        let view = store
            .add_keys_profile(&settings, &input, false)
            .await
            .unwrap();
        payloads.push(serde_json::to_string(&view).unwrap());
        ids.push(view.id);
    }

    for id in &ids {
        let access = store.access(id).await.unwrap();
        for region in ["us-east-1", "us-west-2"] {
            let ctx = lambdesk_core::build_context(id, &access, region)
                .await
                .unwrap();
            let list = lambdesk_core::lambda::list_functions(&ctx).await.unwrap();
            payloads.push(serde_json::to_string(&list).unwrap());
        }
        let renamed = store
            .update_profile(
                id,
                &ProfileSettings {
                    name: format!("{id} renamed"),
                    default_region: "eu-west-1".into(),
                    production: false,
                },
                None,
            )
            .await
            .unwrap();
        payloads.push(serde_json::to_string(&renamed).unwrap());
    }

    // Failures too: the same keys against a stopped endpoint, and a rejected edit.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for (key_id, secret, token) in CANARIES {
        let keys = KeysInput {
            access_key_id: key_id.to_owned(),
            secret_access_key: Secret::new(secret),
            session_token: token.map(Secret::new),
            endpoint_url: Some(dead.clone()),
        };
        let error = verify(
            &Access::Keys {
                keys: keys.keys(),
                endpoint_url: keys.endpoint(),
            },
            "us-east-1",
        )
        .await
        .unwrap_err();
        payloads.push(serde_json::to_string(&error).unwrap());
        let bad = KeysInput {
            endpoint_url: None,
            access_key_id: format!("{key_id} "),
            ..keys
        };
        let error = store
            .update_profile(
                &ids[0],
                &ProfileSettings {
                    name: "Canary".into(),
                    default_region: "us-east-1".into(),
                    production: false,
                },
                Some((
                    &KeysInput {
                        access_key_id: "bad id".into(),
                        ..bad
                    },
                    false,
                )),
            )
            .await
            .unwrap_err();
        payloads.push(serde_json::to_string(&error).unwrap());
    }
    payloads.push(serde_json::to_string(&store.overview()).unwrap());
    payloads.push(serde_json::to_string(&store.scan_shared().await.unwrap()).unwrap());

    let files = files_under(&root);
    assert!(
        files.iter().any(|f| f.ends_with("profiles.json"))
            && files.iter().any(|f| f.ends_with("lambdesk.log")),
        "the search covers the profiles file and the log: {files:?}"
    );
    let log = std::fs::read_to_string(dirs.log_file()).unwrap();
    assert!(
        log.contains("added a profile"),
        "the log was written: {log}"
    );

    for (key_id, secret, token) in CANARIES {
        let mut needles = vec![secret, key_id];
        needles.extend(token);
        for needle in needles {
            for file in &files {
                let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
                assert!(
                    !text.contains(needle),
                    "{needle} found in {}",
                    file.display()
                );
            }
            for payload in &payloads {
                assert!(
                    !payload.contains(needle),
                    "{needle} found in a UI payload: {payload}"
                );
            }
        }
    }

    for id in &ids {
        store.delete_profile(id).await.unwrap();
    }
    std::fs::remove_dir_all(root).ok();
}
