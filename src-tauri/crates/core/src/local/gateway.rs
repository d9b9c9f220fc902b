//! The local gateway's HTTP side: a server on a loopback port that takes requests for the
//! sandbox's REST APIs at `/{api id}/{stage}/{path}`, as API Gateway takes them at an invoke URL,
//! and for its function URLs at `/lambda-url/{function}/{path}`, and hands each to `Routes`, which
//! finds the method or the URL and runs its function. It knows no AWS
//! service, as the rest of the local Lambda; it stops when dropped, and listens on loopback only.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use tokio::task::JoinHandle;

use crate::error::{AppError, ErrorKind};

/// API Gateway's payload limit.
const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// What a request is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One stage of one REST API.
    Api { api_id: String, stage: String },
    /// A function's URL.
    FunctionUrl { function: String },
}

/// A request to one stage of one API, or to a function URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRequest {
    pub target: Target,
    /// The path under the stage or the URL, starting with `/`.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub source_ip: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl GatewayResponse {
    /// An answer of API Gateway's own, such as `{"message":"Forbidden"}`.
    pub fn message(status: u16, message: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: serde_json::json!({ "message": message })
                .to_string()
                .into_bytes(),
        }
    }
}

pub type RouteFuture<'a> = Pin<Box<dyn Future<Output = GatewayResponse> + Send + 'a>>;

/// What the gateway does with a request: find the method, run the function, answer.
pub trait Routes: Send + Sync + 'static {
    fn handle(&self, request: GatewayRequest) -> RouteFuture<'_>;
}

/// A running local gateway. Dropping it stops the server.
pub struct LocalGateway {
    address: SocketAddr,
    server: JoinHandle<()>,
}

impl LocalGateway {
    pub async fn start(routes: Arc<dyn Routes>) -> Result<Self, AppError> {
        let fail = |err: std::io::Error| {
            AppError::new(
                ErrorKind::Unknown,
                format!("The local API gateway could not open a loopback port: {err}"),
            )
        };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(fail)?;
        let address = listener.local_addr().map_err(fail)?;
        let router = Router::new().fallback(serve).with_state(routes);
        let server = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(err) = axum::serve(listener, service).await {
                tracing::warn!(%err, "the local API gateway stopped");
            }
        });
        tracing::info!(%address, "the local API gateway is listening");
        Ok(Self { address, server })
    }

    /// Where the sandbox's invoke URLs start, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for LocalGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The segment that starts a function URL's path; no API id has a `-`.
const FUNCTION_URL_PREFIX: &str = "lambda-url";

/// Splits `/{api}/{stage}/{path}` or `/lambda-url/{function}/{path}`; the path is `/` when the
/// stage's or the URL's root is called.
fn split_target(path: &str) -> Option<(Target, String)> {
    let mut parts = path.trim_start_matches('/').splitn(3, '/');
    let first = parts.next().filter(|first| !first.is_empty())?;
    let second = parts.next().filter(|second| !second.is_empty())?;
    let rest = format!("/{}", parts.next().unwrap_or(""));
    let target = if first == FUNCTION_URL_PREFIX {
        Target::FunctionUrl {
            function: second.to_owned(),
        }
    } else {
        Target::Api {
            api_id: first.to_owned(),
            stage: second.to_owned(),
        }
    };
    Some((target, rest))
}

async fn serve(
    State(routes): State<Arc<dyn Routes>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let Some((target, path)) = split_target(parts.uri.path()) else {
        return into_response(GatewayResponse::message(
            404,
            "Call /{api id}/{stage}/{path} or /lambda-url/{function}/, as Lambdesk's Triggers tab shows.",
        ));
    };
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return into_response(GatewayResponse::message(413, "Request Too Long"));
    };
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| {
            value
                .to_str()
                .ok()
                .map(|value| (name.as_str().to_owned(), value.to_owned()))
        })
        .collect();
    let answer = routes
        .handle(GatewayRequest {
            target,
            path,
            query: parts.uri.query().unwrap_or_default().to_owned(),
            method: parts.method.as_str().to_owned(),
            headers,
            body: body.to_vec(),
            source_ip: peer.ip().to_string(),
        })
        .await;
    into_response(answer)
}

fn into_response(answer: GatewayResponse) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = status;
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            axum::http::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_an_api_and_stage_or_a_function_url_and_a_path() {
        let api = Target::Api {
            api_id: "a1b2c3d4e5".into(),
            stage: "prod".into(),
        };
        assert_eq!(
            split_target("/a1b2c3d4e5/prod/hello/world"),
            Some((api.clone(), "/hello/world".into()))
        );
        assert_eq!(split_target("/a1b2c3d4e5/prod"), Some((api, "/".into())));
        assert_eq!(
            split_target("/lambda-url/hello/orders"),
            Some((
                Target::FunctionUrl {
                    function: "hello".into()
                },
                "/orders".into()
            ))
        );
        assert_eq!(split_target("/a1b2c3d4e5"), None);
        assert_eq!(split_target("/"), None);
    }
}
