//! The sandbox an installed app starts itself, for real: the pinned moto installed from PyPI with
//! this machine's Python into a fresh data folder, served on a free port, answering the real SDK,
//! and gone once stopped.

use std::path::Path;
use std::sync::Mutex;

use lambdesk_core::aws::Access;
use lambdesk_core::error::ErrorKind;
use lambdesk_core::profiles::{SANDBOX_PROFILE_ID, SANDBOX_REGION};
use lambdesk_core::sandbox_server::{self, SandboxHome, SandboxProgress};

fn fresh_data_dir(label: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lambdesk-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn installs_moto_once_then_serves_the_sdk_until_stopped() {
    let data = fresh_data_dir("own-sandbox");
    let home = SandboxHome::new(&data);
    let steps = Mutex::new(Vec::<SandboxProgress>::new());
    let record = |step: SandboxProgress| steps.lock().unwrap().push(step);

    let python = sandbox_server::find_python().expect("this machine has a python3");
    let first = home
        .start(Some(&python), &record)
        .await
        .expect("moto installs and starts");

    let seen = std::mem::take(&mut *steps.lock().unwrap());
    assert_eq!(seen.first().unwrap().step, "Checking Python");
    assert_eq!(seen.last().unwrap().fraction, 1.0);
    assert!(
        seen.windows(2)
            .all(|pair| pair[0].fraction <= pair[1].fraction),
        "the bar never goes back: {seen:?}"
    );
    let downloads = seen
        .iter()
        .filter(|step| step.step.starts_with("Downloading "))
        .count();
    assert!(downloads >= 10, "each package moves the bar: {seen:?}");

    let ctx = lambdesk_core::build_context(
        SANDBOX_PROFILE_ID,
        &Access::Sandbox {
            endpoint_url: first.url().to_owned(),
        },
        SANDBOX_REGION,
    )
    .await
    .expect("the SDK reaches the new sandbox");
    let functions = lambdesk_core::lambda::list_functions(&ctx)
        .await
        .expect("it lists functions");
    assert!(functions.functions.is_empty(), "a new sandbox is empty");

    let second = home
        .start(None, &record)
        .await
        .expect("an installed sandbox starts without looking for Python");
    let seen = std::mem::take(&mut *steps.lock().unwrap());
    assert_eq!(
        seen.iter()
            .map(|step| step.step.as_str())
            .collect::<Vec<_>>(),
        ["Starting the sandbox", "The sandbox is running"],
        "nothing is installed twice"
    );
    assert_ne!(first.url(), second.url(), "each takes a free port");

    let url = first.url().to_owned();
    first.stop().await;
    assert!(
        !sandbox_server::answers(&url).await,
        "a stopped sandbox is gone"
    );
    assert!(sandbox_server::answers(second.url()).await);
    second.stop().await;
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn without_a_usable_python_it_says_what_to_install() {
    let data = fresh_data_dir("no-python");
    let home = SandboxHome::new(&data);
    let ignore = |_: SandboxProgress| {};

    let none = home.start(None, &ignore).await.unwrap_err();
    assert_eq!(none.kind, ErrorKind::NotFound);
    assert!(none.message.contains("no python3"), "{none:?}");
    assert!(none.hint.unwrap().contains("python3-venv"));

    let not_python = home
        .start(Some(Path::new("/bin/true")), &ignore)
        .await
        .unwrap_err();
    assert!(
        not_python.message.contains("not Python 3"),
        "{not_python:?}"
    );
    assert!(!data.join("sandbox/venv").exists(), "nothing was installed");
}
