//! API Gateway and function URLs for the Local sandbox, which stores REST APIs and URLs but serves
//! none. For each request the local gateway takes, it finds the API (or the function's URL) in the
//! sandbox regions that are open, the stage, the resource and method, checks the caller as AWS
//! would (an API key in a usage plan of the stage; for AWS_IAM, a SigV4 Authorization header,
//! whose signature is not verified), sends the proxy event (or the URL's payload format 2.0 event)
//! to the function through the local Lambda, and maps its answer back, with the 502 API Gateway
//! gives for a malformed one. CORS settings of a URL are stored, not applied.

use std::sync::Arc;

use crate::apigateway::{self, proxy};
use crate::aws::AwsContext;
use crate::lambda::{self, InvocationType, InvokeRequest};
use crate::local::LocalLambda;
use crate::local::gateway::{GatewayRequest, GatewayResponse, RouteFuture, Routes, Target};

/// What the gateway needs of the app: the sandbox regions open now, and the local Lambda.
pub trait SandboxHost: Send + Sync + 'static {
    fn contexts(&self) -> Vec<AwsContext>;
    fn local(&self) -> &LocalLambda;
}

/// The header that says why the answer was a 502; API Gateway logs it, Lambdesk shows it.
pub const PROBLEM_HEADER: &str = "x-lambdesk-proxy-problem";

pub struct SandboxApis {
    host: Arc<dyn SandboxHost>,
}

impl SandboxApis {
    pub fn new(host: Arc<dyn SandboxHost>) -> Self {
        Self { host }
    }
}

impl Routes for SandboxApis {
    fn handle(&self, request: GatewayRequest) -> RouteFuture<'_> {
        Box::pin(async move {
            let answer = match &request.target {
                Target::Api { api_id, stage } => {
                    route_api(self.host.as_ref(), &request, api_id, stage).await
                }
                Target::FunctionUrl { function } => {
                    route_url(self.host.as_ref(), &request, function).await
                }
            };
            match answer {
                Ok(answer) | Err(answer) => answer,
            }
        })
    }
}

fn header<'a>(request: &'a GatewayRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

fn internal_error(problem: &str) -> GatewayResponse {
    let mut answer = GatewayResponse::message(502, "Internal server error");
    answer.headers.push((
        PROBLEM_HEADER.to_owned(),
        problem.replace(['\r', '\n'], " "),
    ));
    answer
}

/// The sandbox region that has the API.
async fn context_of(host: &dyn SandboxHost, api_id: &str) -> Option<AwsContext> {
    for ctx in host
        .contexts()
        .into_iter()
        .filter(|ctx| ctx.runs_code_locally)
    {
        let found = ctx
            .apigateway()
            .get_rest_api()
            .rest_api_id(api_id)
            .send()
            .await;
        if found.is_ok() {
            return Some(ctx);
        }
    }
    None
}

/// Whether the request carries a SigV4 signature; the sandbox does not verify it.
fn signed(request: &GatewayRequest) -> bool {
    header(request, "authorization").is_some_and(|value| value.starts_with("AWS4-HMAC-SHA256"))
}

/// Runs the function with the event; its failure, or the local Lambda's, is the 502 AWS answers.
async fn run(
    host: &dyn SandboxHost,
    ctx: &AwsContext,
    function: &str,
    event: String,
) -> Result<String, GatewayResponse> {
    let invoked = lambda::invoke(
        ctx,
        host.local(),
        &InvokeRequest {
            function_name: function.to_owned(),
            payload: event,
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        },
    )
    .await
    .map_err(|err| internal_error(&err.message))?;
    match &invoked.function_error {
        Some(kind) => Err(internal_error(&format!(
            "The function failed ({kind}): {}",
            invoked.payload.chars().take(300).collect::<String>()
        ))),
        None => Ok(invoked.payload),
    }
}

/// A function URL's answer (payload format 2.0): an object with a statusCode is read as API
/// Gateway's proxy answer, with `cookies` as Set-Cookie; any other JSON is a 200 JSON body.
fn read_url_answer(payload: &str) -> Result<proxy::ProxyAnswer, proxy::ProxyProblem> {
    let value: serde_json::Value = serde_json::from_str(payload).unwrap_or(serde_json::Value::Null);
    match value.get("statusCode") {
        Some(_) => {
            let mut answer = proxy::read_answer(payload)?;
            for cookie in value["cookies"].as_array().into_iter().flatten() {
                if let Some(cookie) = cookie.as_str() {
                    answer
                        .headers
                        .push(("Set-Cookie".to_owned(), cookie.to_owned()));
                }
            }
            Ok(answer)
        }
        None => Ok(proxy::ProxyAnswer {
            status: 200,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: payload.as_bytes().to_vec(),
        }),
    }
}

async fn route_url(
    host: &dyn SandboxHost,
    request: &GatewayRequest,
    function: &str,
) -> Result<GatewayResponse, GatewayResponse> {
    let forbidden = || GatewayResponse::message(403, "Forbidden");
    if crate::validate::function_name(function).is_err() {
        return Err(GatewayResponse::message(404, "Not Found"));
    }
    let mut found = None;
    for ctx in host
        .contexts()
        .into_iter()
        .filter(|ctx| ctx.runs_code_locally)
    {
        if let Ok(Some(url)) = lambda::function_url(&ctx, function, None).await {
            found = Some((ctx, url));
            break;
        }
    }
    let (ctx, url) = found.ok_or_else(|| {
        GatewayResponse::message(
            404,
            "No function with a URL by this name in the sandbox regions open in Lambdesk.",
        )
    })?;
    if url.auth == lambda::UrlAuth::AwsIam && !signed(request) {
        return Err(forbidden());
    }
    let event = lambda::url_event(&lambda::UrlRequest {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &request.headers,
        body: &request.body,
        account_id: &ctx.account_id,
        request_id: &uuid::Uuid::new_v4().to_string(),
        source_ip: &request.source_ip,
        now_ms: crate::clock::now_ms(),
    });
    let payload = run(host, &ctx, function, event).await?;
    let answer = read_url_answer(&payload)
        .map_err(|problem| internal_error(&format!("{} {}", problem.message, problem.fix)))?;
    Ok(GatewayResponse {
        status: answer.status,
        headers: answer.headers,
        body: answer.body,
    })
}

async fn route_api(
    host: &dyn SandboxHost,
    request: &GatewayRequest,
    api_id: &str,
    stage: &str,
) -> Result<GatewayResponse, GatewayResponse> {
    let forbidden = || GatewayResponse::message(403, "Forbidden");
    let missing_token = || GatewayResponse::message(403, "Missing Authentication Token");
    if crate::validate::api_id(api_id).is_err() {
        return Err(GatewayResponse::message(404, "Not Found"));
    }
    let ctx = context_of(host, api_id).await.ok_or_else(|| {
        GatewayResponse::message(
            404,
            "No REST API with this id in the sandbox regions open in Lambdesk.",
        )
    })?;
    let unavailable = |err: crate::AppError| internal_error(&err.message);
    let stages = apigateway::stage_names(&ctx, api_id)
        .await
        .map_err(unavailable)?;
    if !stages.iter().any(|known| known == stage) {
        return Err(forbidden());
    }
    let resources = apigateway::resources(&ctx, api_id)
        .await
        .map_err(unavailable)?;
    // A literal path wins over a {parameter}, as in API Gateway.
    let resource = resources
        .iter()
        .filter(|resource| {
            proxy::match_resource(resource.path().unwrap_or("/"), &request.path).is_some()
        })
        .max_by_key(|resource| {
            resource
                .path()
                .unwrap_or("/")
                .split('/')
                .filter(|part| !part.starts_with('{'))
                .count()
        })
        .ok_or_else(missing_token)?;
    let methods = resource.resource_methods();
    let (_, method) = methods
        .and_then(|methods| {
            methods
                .get_key_value(request.method.as_str())
                .or_else(|| methods.get_key_value("ANY"))
        })
        .ok_or_else(missing_token)?;
    if method.authorization_type() == Some("AWS_IAM") && !signed(request) {
        return Err(missing_token());
    }
    if method.api_key_required().unwrap_or(false) {
        let Some(key) = header(request, "x-api-key") else {
            return Err(forbidden());
        };
        if !apigateway::key_allows(&ctx, key, api_id, stage)
            .await
            .map_err(unavailable)?
        {
            return Err(forbidden());
        }
    }
    let function = method
        .method_integration()
        .filter(|integration| {
            integration.r#type() == Some(&aws_sdk_apigateway::types::IntegrationType::AwsProxy)
        })
        .and_then(|integration| integration.uri())
        .and_then(|uri| apigateway::function_called_by(&ctx, uri))
        .ok_or_else(|| {
            internal_error(
                "The local gateway serves Lambda proxy integrations of this region only.",
            )
        })?;
    let request_id = uuid::Uuid::new_v4().to_string();
    let event = proxy::request_event(&proxy::ProxyRequest {
        method: &request.method,
        resource: resource.path().unwrap_or("/"),
        path: &request.path,
        query: &request.query,
        headers: &request.headers,
        body: &request.body,
        stage,
        api_id,
        resource_id: resource.id().unwrap_or_default(),
        account_id: &ctx.account_id,
        request_id: &request_id,
        source_ip: &request.source_ip,
        now_ms: crate::clock::now_ms(),
    });
    let payload = run(host, &ctx, &function, event).await?;
    let answer = proxy::read_answer(&payload)
        .map_err(|problem| internal_error(&format!("{} {}", problem.message, problem.fix)))?;
    let mut headers = answer.headers;
    headers.push(("x-amzn-RequestId".to_owned(), request_id));
    Ok(GatewayResponse {
        status: answer.status,
        headers,
        body: answer.body,
    })
}
