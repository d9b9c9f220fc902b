//! The context every AWS operation runs in, built in one place.

mod context;

pub use context::{AwsContext, ContextTag, build_context, sdk_config};
