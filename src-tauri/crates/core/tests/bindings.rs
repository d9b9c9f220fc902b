//! Fails when the committed TypeScript bindings differ from the Rust types; `make bindings` (which
//! sets `LAMBDESK_WRITE_BINDINGS=1`) rewrites them.

use std::path::PathBuf;

#[test]
fn committed_bindings_match_the_rust_types() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/ipc/bindings.ts");
    let generated = lambdesk_core::bindings::typescript();
    if std::env::var_os("LAMBDESK_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `make bindings` and commit the result",
        path.display()
    );
}
