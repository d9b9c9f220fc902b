//! Lambdesk's core: every AWS rule and call, with no Tauri, so it builds and tests headless.

pub mod aws;
pub mod bindings;
pub mod error;
pub mod functions;
pub mod logging;
pub mod paths;
pub mod profiles;
pub mod secrets;
pub mod validate;

pub use aws::{AwsContext, ContextTag, build_context};
pub use error::{AppError, ErrorKind};
