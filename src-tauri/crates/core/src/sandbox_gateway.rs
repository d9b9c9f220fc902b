//! API Gateway for the Local sandbox, which stores REST APIs but serves none. For each request the
//! local gateway takes, it finds the API in the sandbox regions that are open, the stage, the
//! resource and method, checks the caller as API Gateway would (an API key in a usage plan of the
//! stage; for AWS_IAM, a SigV4 Authorization header, whose signature is not verified), sends the
//! proxy event to the function through the local Lambda, and maps its answer back, with the 502
//! API Gateway gives for a malformed one.

use std::sync::Arc;

use crate::apigateway::{self, proxy};
use crate::aws::AwsContext;
use crate::lambda::{self, InvocationType, InvokeRequest};
use crate::local::LocalLambda;
use crate::local::gateway::{GatewayRequest, GatewayResponse, RouteFuture, Routes};

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
            match route(self.host.as_ref(), &request).await {
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
        let found = aws_sdk_apigateway::Client::new(&ctx.sdk_config)
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

async fn route(
    host: &dyn SandboxHost,
    request: &GatewayRequest,
) -> Result<GatewayResponse, GatewayResponse> {
    let forbidden = || GatewayResponse::message(403, "Forbidden");
    let missing_token = || GatewayResponse::message(403, "Missing Authentication Token");
    if crate::validate::api_id(&request.api_id).is_err() {
        return Err(GatewayResponse::message(404, "Not Found"));
    }
    let ctx = context_of(host, &request.api_id).await.ok_or_else(|| {
        GatewayResponse::message(
            404,
            "No REST API with this id in the sandbox regions open in Lambdesk.",
        )
    })?;
    let unavailable = |err: crate::AppError| internal_error(&err.message);
    let stages = apigateway::stage_names(&ctx, &request.api_id)
        .await
        .map_err(unavailable)?;
    if !stages.contains(&request.stage) {
        return Err(forbidden());
    }
    let resources = apigateway::resources(&ctx, &request.api_id)
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
    if method.authorization_type() == Some("AWS_IAM")
        && !header(request, "authorization")
            .is_some_and(|value| value.starts_with("AWS4-HMAC-SHA256"))
    {
        return Err(missing_token());
    }
    if method.api_key_required().unwrap_or(false) {
        let Some(key) = header(request, "x-api-key") else {
            return Err(forbidden());
        };
        if !apigateway::key_allows(&ctx, key, &request.api_id, &request.stage)
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
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or_default();
    let event = proxy::request_event(&proxy::ProxyRequest {
        method: &request.method,
        resource: resource.path().unwrap_or("/"),
        path: &request.path,
        query: &request.query,
        headers: &request.headers,
        body: &request.body,
        stage: &request.stage,
        api_id: &request.api_id,
        resource_id: resource.id().unwrap_or_default(),
        account_id: &ctx.account_id,
        request_id: &request_id,
        source_ip: &request.source_ip,
        now_ms,
    });
    let invoked = lambda::invoke(
        &ctx,
        host.local(),
        &InvokeRequest {
            function_name: function.clone(),
            payload: event,
            invocation_type: InvocationType::RequestResponse,
            tail_log: false,
        },
    )
    .await
    .map_err(unavailable)?;
    if let Some(kind) = &invoked.function_error {
        return Err(internal_error(&format!(
            "The function failed ({kind}): {}",
            invoked.payload.chars().take(300).collect::<String>()
        )));
    }
    let answer = proxy::read_answer(&invoked.payload)
        .map_err(|problem| internal_error(&format!("{} {}", problem.message, problem.fix)))?;
    let mut headers = answer.headers;
    headers.push(("x-amzn-RequestId".to_owned(), request_id));
    Ok(GatewayResponse {
        status: answer.status,
        headers,
        body: answer.body,
    })
}
