//! The context every AWS operation runs in, built in one place.

mod context;
mod regions;
mod sign;

pub use context::{
    Access, AwsContext, CallerIdentity, ContextTag, body_timeout, body_timeout_with, build_context,
    identify, sdk_config, verify,
};
pub use regions::{RegionInfo, partition, regions};
pub use sign::sign_request;
