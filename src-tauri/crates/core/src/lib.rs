//! Lambdesk's core: every AWS rule and call, with no Tauri, so it builds and tests headless.

pub mod apigateway;
pub mod aws;
pub mod bindings;
pub mod blueprints;
pub mod cleanup;
pub mod clock;
pub mod configure;
pub mod create;
pub mod dynamodb;
pub mod error;
pub mod events;
pub mod iam;
pub mod kinesis;
pub mod lambda;
pub mod ledger;
pub mod local;
pub mod logging;
pub mod logs;
pub mod metrics;
pub mod package;
pub mod paths;
pub mod plan;
pub mod profiles;
pub mod queue_delivery;
pub mod runtimes;
pub mod s3;
pub mod sandbox_gateway;
pub mod sandbox_server;
pub mod scheduler;
pub mod secrets;
pub mod sqs;
pub mod test_events;
pub mod triggers;
pub mod validate;

pub use aws::{AwsContext, ContextTag, build_context};
pub use error::{AppError, ErrorKind};
