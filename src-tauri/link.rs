//! Link arguments Lambdesk's binary and the bench's bare app share, so that both are built alike.

/// Packs the binary's relative relocations (DT_RELR). Unpacked, they are 24 bytes each: 1.4 MB in
/// Lambdesk, which the loader reads at every start and which then stay in memory. Packed, they
/// take a few KB. glibc 2.36 and binutils 2.38 know them; Debian 12, the oldest Debian with the
/// WebKitGTK 4.1 the app needs, has both.
pub fn pack_relative_relocations() {
    let is = |name: &str, value: &str| std::env::var(name).is_ok_and(|found| found == value);
    if is("CARGO_CFG_TARGET_OS", "linux") && is("CARGO_CFG_TARGET_ENV", "gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
