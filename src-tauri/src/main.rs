//! Starts Lambdesk.

// Without this, a Windows release build would open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lambdesk_lib::run();
}
