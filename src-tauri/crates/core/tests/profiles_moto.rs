//! Profiles against a real moto server: each profile reaches its own account, two accounts list
//! their own functions, a slow answer stays tagged with the account it came from, and profiles of
//! the shared AWS files get their credentials the way the AWS CLI would.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lambdesk_core::aws::{Access, verify};
use lambdesk_core::lambda::list_functions;
use lambdesk_core::profiles::{
    AccessKeys, ImportMode, KeysInput, Profile, ProfileSettings, ProfileStore, SharedFiles,
};
use lambdesk_core::{AppError, ErrorKind, build_context};
use tokio::net::{TcpListener, TcpStream};

const OTHER_ACCOUNT: &str = "111111111111";
const PROCESS_ACCOUNT: &str = "222222222222";
const SANDBOX_ACCOUNT: &str = "123456789012";
/// Long enough that the second account's whole list finishes while the first is still waiting.
const SLOW_ENDPOINT_DELAY: Duration = Duration::from_millis(1500);

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(name));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn store_in(dir: &Path, shared: SharedFiles) -> ProfileStore {
    ProfileStore::open(
        dir,
        Profile::sandbox(common::sandbox_url()),
        shared,
        "lambdesk-moto-test",
    )
}

fn no_shared_files(dir: &Path) -> SharedFiles {
    SharedFiles {
        config: dir.join("none-config"),
        credentials: dir.join("none-credentials"),
    }
}

fn input_of(keys: &AccessKeys, endpoint: &str) -> KeysInput {
    KeysInput {
        access_key_id: keys.access_key_id.clone(),
        secret_access_key: keys.secret_access_key.clone(),
        session_token: keys.session_token.clone(),
        endpoint_url: Some(endpoint.to_owned()),
    }
}

fn settings(name: &str) -> ProfileSettings {
    ProfileSettings {
        name: name.into(),
        default_region: "us-east-1".into(),
        production: false,
    }
}

fn names_with_prefix(list: &lambdesk_core::lambda::FunctionList, prefix: &str) -> Vec<String> {
    list.functions
        .iter()
        .map(|f| f.name.clone())
        .filter(|name| name.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn each_profile_reaches_its_own_account_and_lists_its_own_functions() {
    let dir = temp_dir("accounts");
    let store = store_in(&dir, no_shared_files(&dir));
    let url = common::sandbox_url();
    let other_keys = common::keys_of_account(OTHER_ACCOUNT).await;
    let home = store
        .add_keys_profile(
            &settings("Home"),
            &KeysInput {
                access_key_id: "testing".into(),
                secret_access_key: lambdesk_core::secrets::Secret::new("testing"),
                session_token: None,
                endpoint_url: Some(url.clone()),
            },
            true,
        )
        .await
        .unwrap();
    let other = store
        .add_keys_profile(&settings("Other"), &input_of(&other_keys, &url), true)
        .await
        .unwrap();

    let home_access = store.access(&home.id).await.unwrap();
    let other_access = store.access(&other.id).await.unwrap();
    let home_identity = verify(&home_access, "us-east-1").await.unwrap();
    let other_identity = verify(&other_access, "us-east-1").await.unwrap();
    assert_eq!(home_identity.account_id, SANDBOX_ACCOUNT);
    assert_eq!(other_identity.account_id, OTHER_ACCOUNT);
    assert!(
        other_identity.arn.contains(OTHER_ACCOUNT),
        "{}",
        other_identity.arn
    );

    let prefix = common::unique_name("acct");
    let home_ctx = build_context(&home.id, &home_access, "us-east-1")
        .await
        .unwrap();
    let other_ctx = build_context(&other.id, &other_access, "us-east-1")
        .await
        .unwrap();
    assert_eq!(other_ctx.account_id, OTHER_ACCOUNT);
    let home_names = vec![format!("{prefix}-home")];
    let other_names = vec![format!("{prefix}-other-a"), format!("{prefix}-other-b")];
    common::create_functions(&home_ctx, &home_names).await;
    common::create_functions(&other_ctx, &other_names).await;

    let home_list = list_functions(&home_ctx).await.unwrap();
    let other_list = list_functions(&other_ctx).await.unwrap();
    assert_eq!(names_with_prefix(&home_list, &prefix), home_names);
    assert_eq!(names_with_prefix(&other_list, &prefix), other_names);
    assert_eq!(other_list.context.account_id, OTHER_ACCOUNT);

    let other_west = build_context(&other.id, &other_access, "us-west-2")
        .await
        .unwrap();
    let west_list = list_functions(&other_west).await.unwrap();
    assert!(names_with_prefix(&west_list, &prefix).is_empty());
    assert_eq!(west_list.context.region, "us-west-2");
    std::fs::remove_dir_all(dir).ok();
}

/// Forwards connections to `upstream`, each after `delay`: a slow network in front of the sandbox.
async fn slow_proxy(upstream: String, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let upstream = upstream.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                    tokio::io::copy_bidirectional(&mut inbound, &mut outbound)
                        .await
                        .ok();
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_slow_list_from_the_first_account_stays_tagged_with_it_after_a_switch() {
    let url = common::sandbox_url();
    let prefix = common::unique_name("switch");
    let first_names = vec![format!("{prefix}-first")];
    let second_names = vec![format!("{prefix}-second")];
    let fast_first = build_context("first", &common::sandbox_access(&url), "us-east-1")
        .await
        .unwrap();
    common::create_functions(&fast_first, &first_names).await;
    let second_keys = common::keys_of_account(OTHER_ACCOUNT).await;
    let second_access = Access::Keys {
        keys: second_keys,
        endpoint_url: Some(url.clone()),
    };
    let second = build_context("second", &second_access, "us-east-1")
        .await
        .unwrap();
    common::create_functions(&second, &second_names).await;

    let slow_url = slow_proxy(url.clone(), SLOW_ENDPOINT_DELAY).await;
    let slow_first = build_context("first", &common::sandbox_access(&slow_url), "us-east-1")
        .await
        .unwrap();
    let first_listing = tokio::spawn(async move { list_functions(&slow_first).await });

    // The user switches: the second account's list is asked for and answered meanwhile.
    let second_list = list_functions(&second).await.unwrap();
    assert!(
        !first_listing.is_finished(),
        "the first list must still be under way for this test to mean anything"
    );
    assert_eq!(second_list.context, second.tag());
    assert_eq!(names_with_prefix(&second_list, &prefix), second_names);

    let first_list = first_listing.await.unwrap().unwrap();
    assert_eq!(first_list.context.profile_id, "first");
    assert_eq!(first_list.context.account_id, SANDBOX_ACCOUNT);
    assert_eq!(names_with_prefix(&first_list, &prefix), first_names);
    assert_ne!(
        first_list.context, second_list.context,
        "the late answer carries the first context, so the UI can drop it"
    );
}

/// Writes the shared files of the fixture: one profile of each credential kind, all pointed at
/// the sandbox through `endpoint_url`, as a user of LocalStack would configure them.
fn write_shared_fixture(dir: &Path, url: &str, process_keys: &AccessKeys) -> SharedFiles {
    let script = dir.join("credentials-process.sh");
    let output = serde_json::json!({
        "Version": 1,
        "AccessKeyId": process_keys.access_key_id,
        "SecretAccessKey": process_keys.secret_access_key.expose(),
        "SessionToken": process_keys.session_token.as_ref().map(|t| t.expose()),
    });
    std::fs::write(&script, format!("#!/bin/sh\necho '{output}'\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile process]\nregion = us-east-1\nendpoint_url = {url}\ncredential_process = {}\n\n\
             [profile broken-process]\nendpoint_url = {url}\ncredential_process = /bin/false\n\n\
             [profile sso]\nsso_start_url = https://lambdesk-test.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 123456789012\nsso_role_name = Admin\nendpoint_url = {url}\n",
            script.display()
        ),
    )
    .unwrap();
    let credentials = dir.join("credentials");
    std::fs::write(&credentials, "").unwrap();
    SharedFiles {
        config,
        credentials,
    }
}

async fn context_of_shared(store: &ProfileStore, name: &str) -> Result<String, AppError> {
    let view = store
        .import_shared(
            name,
            &settings(&format!("Shared {name}")),
            ImportMode::UseInPlace,
        )
        .await?;
    let access = store.access(&view.id).await?;
    Ok(build_context(&view.id, &access, "us-east-1")
        .await?
        .account_id)
}

#[tokio::test]
async fn shared_profiles_get_credentials_as_the_aws_cli_would() {
    let dir = temp_dir("shared");
    let process_keys = common::keys_of_account(PROCESS_ACCOUNT).await;
    let shared = write_shared_fixture(&dir, &common::sandbox_url(), &process_keys);
    let before = std::fs::read(&shared.config).unwrap();
    let store = store_in(&dir, shared.clone());

    assert_eq!(
        context_of_shared(&store, "process").await.unwrap(),
        PROCESS_ACCOUNT
    );

    let broken = context_of_shared(&store, "broken-process")
        .await
        .unwrap_err();
    assert_eq!(broken.kind, ErrorKind::AuthExpired, "{broken:?}");
    assert!(broken.hint.unwrap().contains("credential_process"));

    let sso = context_of_shared(&store, "sso").await.unwrap_err();
    assert_eq!(sso.kind, ErrorKind::AuthExpired, "{sso:?}");
    assert!(
        sso.hint
            .as_deref()
            .unwrap()
            .contains("aws sso login --profile sso"),
        "{sso:?}"
    );

    assert_eq!(
        std::fs::read(&shared.config).unwrap(),
        before,
        "the files are never written"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn keys_of_a_stopped_endpoint_fail_verification_with_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let access = Access::Keys {
        keys: common::keys_of_account(OTHER_ACCOUNT).await,
        endpoint_url: Some(url),
    };
    let error = tokio::time::timeout(Duration::from_secs(10), verify(&access, "us-east-1"))
        .await
        .expect("a down endpoint fails promptly")
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network);
}
