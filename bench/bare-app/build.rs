//! Generates Tauri's context for the bare app, and links it as Lambdesk is linked.

#[path = "../../src-tauri/link.rs"]
mod link;

fn main() {
    link::pack_relative_relocations();
    tauri_build::build();
}
