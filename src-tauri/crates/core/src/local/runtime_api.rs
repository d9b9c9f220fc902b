//! The Lambda Runtime API one local runtime process talks to: an axum server on a loopback port that
//! hands out invocations on `next` and turns the runtime's posts into events for the invoker.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::error::{AppError, ErrorKind};

/// Lambda's limit on a synchronous response payload.
pub const MAX_RESPONSE_BYTES: usize = 6 * 1024 * 1024;
/// Bodies a little over the limit are read, so the invoker can say the response was too large
/// instead of the runtime seeing a bare 413.
const BODY_READ_LIMIT: usize = 16 * 1024 * 1024;

const REQUEST_ID: &str = "Lambda-Runtime-Aws-Request-Id";
const DEADLINE: &str = "Lambda-Runtime-Deadline-Ms";
const FUNCTION_ARN: &str = "Lambda-Runtime-Invoked-Function-Arn";
const TRACE_ID: &str = "Lambda-Runtime-Trace-Id";
const ERROR_TYPE: &str = "Lambda-Runtime-Function-Error-Type";

/// One event handed to the runtime by `next`.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub request_id: String,
    pub deadline_ms: u64,
    pub function_arn: String,
    pub trace_id: String,
    pub payload: Bytes,
}

/// What the runtime told the API, in the order it did.
#[derive(Debug)]
pub enum RuntimeEvent {
    /// The runtime asked for its next invocation: it finished its init, or its last invocation.
    Next,
    Response {
        request_id: String,
        body: Bytes,
    },
    Error {
        request_id: String,
        body: Bytes,
        error_type: Option<String>,
    },
    InitError {
        body: Bytes,
        error_type: Option<String>,
    },
}

#[derive(Clone)]
struct Shared {
    events: mpsc::UnboundedSender<RuntimeEvent>,
    invocations: Arc<tokio::sync::Mutex<mpsc::Receiver<Invocation>>>,
    /// The request the runtime may answer; answers to any other id are refused.
    in_flight: Arc<Mutex<Option<String>>>,
}

/// A running Runtime API. Dropping it stops the server.
pub struct RuntimeApi {
    pub address: SocketAddr,
    pub events: mpsc::UnboundedReceiver<RuntimeEvent>,
    invocations: mpsc::Sender<Invocation>,
    in_flight: Arc<Mutex<Option<String>>>,
    server: JoinHandle<()>,
}

impl RuntimeApi {
    pub async fn start() -> Result<Self, AppError> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|err| {
                AppError::new(
                    ErrorKind::Unknown,
                    format!("The local Lambda could not open a loopback port: {err}"),
                )
            })?;
        let address = listener.local_addr().map_err(|err| {
            AppError::new(
                ErrorKind::Unknown,
                format!("The local Lambda could not read its loopback port: {err}"),
            )
        })?;
        let (events_tx, events) = mpsc::unbounded_channel();
        let (invocations, invocations_rx) = mpsc::channel(1);
        let in_flight = Arc::new(Mutex::new(None));
        let shared = Shared {
            events: events_tx,
            invocations: Arc::new(tokio::sync::Mutex::new(invocations_rx)),
            in_flight: in_flight.clone(),
        };
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{request_id}/response",
                post(respond),
            )
            .route(
                "/2018-06-01/runtime/invocation/{request_id}/error",
                post(fail),
            )
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .layer(DefaultBodyLimit::max(BODY_READ_LIMIT))
            .with_state(shared);
        let server = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                tracing::warn!(%err, "the local Runtime API stopped");
            }
        });
        Ok(Self {
            address,
            events,
            invocations,
            in_flight,
            server,
        })
    }

    /// Hands an invocation to the runtime's waiting (or next) `next` call.
    pub async fn send(&self, invocation: Invocation) -> Result<(), AppError> {
        *self.in_flight.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(invocation.request_id.clone());
        self.invocations.send(invocation).await.map_err(|_| {
            AppError::new(
                ErrorKind::Unknown,
                "The local Runtime API stopped before the invocation was handed over.",
            )
        })
    }

    /// After a result or a timeout: later answers for that request are refused.
    pub fn settle(&self) {
        *self.in_flight.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn next(State(shared): State<Shared>) -> Response {
    let _ = shared.events.send(RuntimeEvent::Next);
    let Some(invocation) = shared.invocations.lock().await.recv().await else {
        return refusal(
            StatusCode::GONE,
            "Runtime.Stopped",
            "The function is stopping.",
        );
    };
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    put(REQUEST_ID, &invocation.request_id);
    put(DEADLINE, &invocation.deadline_ms.to_string());
    put(FUNCTION_ARN, &invocation.function_arn);
    put(TRACE_ID, &invocation.trace_id);
    put("Content-Type", "application/json");
    (StatusCode::OK, headers, invocation.payload).into_response()
}

async fn respond(
    State(shared): State<Shared>,
    Path(request_id): Path<String>,
    body: Bytes,
) -> Response {
    if !shared.expects(&request_id) {
        return unknown_request(&request_id);
    }
    if body.len() > MAX_RESPONSE_BYTES {
        let message = format!(
            "Response payload size ({} bytes) exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
            body.len()
        );
        let error = serde_json::json!({
            "errorMessage": message,
            "errorType": "Function.ResponseSizeTooLarge",
        });
        let _ = shared.events.send(RuntimeEvent::Error {
            request_id,
            body: Bytes::from(error.to_string()),
            error_type: Some("Function.ResponseSizeTooLarge".to_owned()),
        });
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            &message,
        );
    }
    let _ = shared
        .events
        .send(RuntimeEvent::Response { request_id, body });
    accepted()
}

async fn fail(
    State(shared): State<Shared>,
    Path(request_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !shared.expects(&request_id) {
        return unknown_request(&request_id);
    }
    let _ = shared.events.send(RuntimeEvent::Error {
        request_id,
        body,
        error_type: error_type(&headers),
    });
    accepted()
}

async fn init_error(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let _ = shared.events.send(RuntimeEvent::InitError {
        body,
        error_type: error_type(&headers),
    });
    accepted()
}

impl Shared {
    fn expects(&self, request_id: &str) -> bool {
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_deref()
            == Some(request_id)
    }
}

fn error_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(ERROR_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn accepted() -> Response {
    (
        StatusCode::ACCEPTED,
        axum::Json(serde_json::json!({ "status": "OK" })),
    )
        .into_response()
}

fn unknown_request(request_id: &str) -> Response {
    refusal(
        StatusCode::BAD_REQUEST,
        "InvalidRequestID",
        &format!("No invocation {request_id} is waiting for an answer."),
    )
}

fn refusal(status: StatusCode, error_type: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "errorType": error_type, "errorMessage": message })),
    )
        .into_response()
}
