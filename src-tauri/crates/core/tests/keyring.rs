//! The secret store against a real Secret Service. Run through `scripts/with-keyring.sh` (as
//! `make test-keyring` does), which provides a private, unlocked gnome-keyring; the tests are
//! `#[ignore]`d so a plain `cargo test` does not touch the developer's own keyring.

use std::process::Command;

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
