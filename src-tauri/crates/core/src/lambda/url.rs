//! Function URLs: an HTTPS endpoint of the function itself, with no API in front. Read from the
//! account, the plan steps that make one (and, for an open one, the two statements Lambda needs to
//! let anyone call it), removing it, and the payload format 2.0 event and answer that pass
//! between the URL and the function, so the sandbox can serve it.

use std::collections::HashMap;

use aws_lambda_events::event::lambda_function_urls::LambdaFunctionUrlRequest;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::permission::remove_permission;
use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

/// The statements Lambda's console adds for an open URL; Lambdesk uses the same ids.
const PUBLIC_URL_STATEMENT: &str = "FunctionURLAllowPublicAccess";
const PUBLIC_INVOKE_STATEMENT: &str = "FunctionURLAllowInvokeAction";

/// Who may call a function URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum UrlAuth {
    /// Anyone: Lambda adds no check.
    None,
    /// Callers sign with AWS credentials (SigV4, service `lambda`).
    AwsIam,
}

impl UrlAuth {
    fn as_aws(self) -> &'static str {
        match self {
            UrlAuth::None => "NONE",
            UrlAuth::AwsIam => "AWS_IAM",
        }
    }
}

/// Cross-origin settings, as Lambda keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UrlCors {
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age_seconds: Option<i32>,
    pub allow_credentials: bool,
}

impl UrlCors {
    fn is_empty(&self) -> bool {
        *self == UrlCors::default()
    }

    fn to_aws(&self) -> aws_sdk_lambda::types::Cors {
        aws_sdk_lambda::types::Cors::builder()
            .set_allow_origins(Some(self.allow_origins.clone()))
            .set_allow_methods(Some(self.allow_methods.clone()))
            .set_allow_headers(Some(self.allow_headers.clone()))
            .set_expose_headers(Some(self.expose_headers.clone()))
            .set_max_age(self.max_age_seconds)
            .allow_credentials(self.allow_credentials)
            .build()
    }

    /// The `--cors` shorthand the aws CLI takes, as JSON.
    fn cli(&self) -> String {
        serde_json::json!({
            "AllowOrigins": self.allow_origins,
            "AllowMethods": self.allow_methods,
            "AllowHeaders": self.allow_headers,
            "ExposeHeaders": self.expose_headers,
            "MaxAge": self.max_age_seconds,
            "AllowCredentials": self.allow_credentials,
        })
        .to_string()
    }
}

/// The function's URL, as the Triggers tab lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionUrl {
    /// Where it answers: Lambda's URL in an account, the local gateway's on the sandbox.
    pub url: String,
    pub auth: UrlAuth,
    pub cors: UrlCors,
}

/// The function's URL, if it has one; on the sandbox the local gateway's, when there is one.
pub async fn function_url(
    ctx: &AwsContext,
    function: &str,
    gateway: Option<&str>,
) -> Result<Option<FunctionUrl>, AppError> {
    let answer = ctx
        .lambda()
        .get_function_url_config()
        .function_name(function)
        .send()
        .await;
    let config = match answer {
        Ok(config) => config,
        Err(err) => {
            let error = ctx.failed(&format!("read the URL of {function}"))(err);
            return if error.kind == ErrorKind::NotFound {
                Ok(None)
            } else {
                Err(error)
            };
        }
    };
    let cors = config.cors().map(|cors| UrlCors {
        allow_origins: cors.allow_origins().to_vec(),
        allow_methods: cors.allow_methods().to_vec(),
        allow_headers: cors.allow_headers().to_vec(),
        expose_headers: cors.expose_headers().to_vec(),
        max_age_seconds: cors.max_age(),
        allow_credentials: cors.allow_credentials().unwrap_or(false),
    });
    let url = match (ctx.runs_code_locally, gateway) {
        (true, Some(base)) => local_url(base, function),
        _ => config.function_url().to_owned(),
    };
    Ok(Some(FunctionUrl {
        url,
        auth: if config.auth_type().as_str() == "AWS_IAM" {
            UrlAuth::AwsIam
        } else {
            UrlAuth::None
        },
        cors: cors.unwrap_or_default(),
    }))
}

/// Where the local gateway serves a sandbox function's URL.
pub fn local_url(gateway: &str, function: &str) -> String {
    format!("{}/lambda-url/{function}/", gateway.trim_end_matches('/'))
}

/// Removes the URL and the statements that opened it to anyone.
pub async fn delete_function_url(ctx: &AwsContext, function: &str) -> Result<(), AppError> {
    ctx.lambda()
        .delete_function_url_config()
        .function_name(function)
        .send()
        .await
        .map(|_| ())
        .map_err(ctx.failed(&format!("delete the URL of {function}")))?;
    for statement in [PUBLIC_URL_STATEMENT, PUBLIC_INVOKE_STATEMENT] {
        gone_is_removed(remove_permission(ctx, function, statement).await)?;
    }
    Ok(())
}

/// The function's URL.
#[derive(Debug)]
pub struct CreateFunctionUrl {
    pub function: String,
    pub auth: UrlAuth,
    pub cors: UrlCors,
}

impl Step for CreateFunctionUrl {
    fn summary(&self) -> String {
        format!(
            "Give {} a function URL, {}.",
            self.function,
            match self.auth {
                UrlAuth::None => "open to anyone",
                UrlAuth::AwsIam => "for callers signed with AWS credentials (IAM)",
            }
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("lambda", "create-function-url-config")
            .option("function-name", &self.function)
            .option("auth-type", self.auth.as_aws())
            .option_if(
                "cors",
                (!self.cors.is_empty()).then(|| self.cors.cli()).as_deref(),
            )
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.lambda()
                .create_function_url_config()
                .function_name(&self.function)
                .auth_type(aws_sdk_lambda::types::FunctionUrlAuthType::from(
                    self.auth.as_aws(),
                ))
                .set_cors((!self.cors.is_empty()).then(|| self.cors.to_aws()))
                .send()
                .await
                .map_err(ctx.failed(&format!("give {} a URL", self.function)))?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                ctx.lambda()
                    .delete_function_url_config()
                    .function_name(&self.function)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(ctx.failed(&format!("delete the URL of {}", self.function))),
            )
        })
    }
}

/// The two statements that let anyone call an open URL: InvokeFunctionUrl for URLs with no auth,
/// and InvokeFunction only when invoked through the URL, which Lambda requires of new URLs.
#[derive(Debug)]
pub struct AllowPublicUrl {
    pub function: String,
}

impl Step for AllowPublicUrl {
    fn summary(&self) -> String {
        format!(
            "Let anyone call {} through its URL, and through nothing else.",
            self.function
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let url = Command::new("lambda", "add-permission")
            .option("function-name", &self.function)
            .option("statement-id", PUBLIC_URL_STATEMENT)
            .option("action", "lambda:InvokeFunctionUrl")
            .option("principal", "*")
            .option("function-url-auth-type", "NONE")
            .target(target)
            .render();
        let invoke = Command::new("lambda", "add-permission")
            .option("function-name", &self.function)
            .option("statement-id", PUBLIC_INVOKE_STATEMENT)
            .option("action", "lambda:InvokeFunction")
            .option("principal", "*")
            .flag("invoked-via-function-url")
            .target(target)
            .render();
        format!("{url}\n{invoke}")
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let doing = format!("let anyone call the URL of {}", self.function);
            ctx.lambda()
                .add_permission()
                .function_name(&self.function)
                .statement_id(PUBLIC_URL_STATEMENT)
                .action("lambda:InvokeFunctionUrl")
                .principal("*")
                .function_url_auth_type(aws_sdk_lambda::types::FunctionUrlAuthType::None)
                .send()
                .await
                .map_err(ctx.failed(&doing))?;
            ctx.lambda()
                .add_permission()
                .function_name(&self.function)
                .statement_id(PUBLIC_INVOKE_STATEMENT)
                .action("lambda:InvokeFunction")
                .principal("*")
                .invoked_via_function_url(true)
                .send()
                .await
                .map_err(ctx.failed(&doing))?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            for statement in [PUBLIC_URL_STATEMENT, PUBLIC_INVOKE_STATEMENT] {
                gone_is_removed(remove_permission(ctx, &self.function, statement).await)?;
            }
            Ok(())
        })
    }
}

/// A request to a function URL, before it becomes the payload format 2.0 event.
#[derive(Debug, Clone)]
pub struct UrlRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub account_id: &'a str,
    pub request_id: &'a str,
    pub source_ip: &'a str,
    pub now_ms: i64,
}

/// The event Lambda sends a function for a request to its URL (payload format 2.0), as JSON.
pub fn url_event(request: &UrlRequest<'_>) -> String {
    let mut headers = http::HeaderMap::new();
    let mut cookies = Vec::new();
    for (name, value) in request.headers {
        if name.eq_ignore_ascii_case("cookie") {
            cookies.extend(value.split(';').map(|cookie| cookie.trim().to_owned()));
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    let mut query: HashMap<String, String> = HashMap::new();
    for pair in request.query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8_lossy()
                .into_owned()
        };
        query
            .entry(decode(key))
            .and_modify(|joined| {
                joined.push(',');
                joined.push_str(&decode(value));
            })
            .or_insert_with(|| decode(value));
    }
    let (body, is_base64_encoded) = match std::str::from_utf8(request.body) {
        _ if request.body.is_empty() => (None, false),
        Ok(text) => (Some(text.to_owned()), false),
        Err(_) => (Some(aws_smithy_types::base64::encode(request.body)), true),
    };
    let mut event = LambdaFunctionUrlRequest::default();
    event.version = Some("2.0".to_owned());
    event.raw_path = Some(request.path.to_owned());
    event.raw_query_string = Some(request.query.to_owned());
    event.cookies = (!cookies.is_empty()).then_some(cookies);
    event.headers = headers;
    event.query_string_parameters = query;
    event.request_context.account_id = Some(request.account_id.to_owned());
    event.request_context.request_id = Some(request.request_id.to_owned());
    event.request_context.time_epoch = request.now_ms;
    event.request_context.http.method = Some(request.method.to_owned());
    event.request_context.http.path = Some(request.path.to_owned());
    event.request_context.http.protocol = Some("HTTP/1.1".to_owned());
    event.request_context.http.source_ip = Some(request.source_ip.to_owned());
    event.body = body;
    event.is_base64_encoded = is_base64_encoded;
    serde_json::to_string(&event).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_url_is_the_consoles_two_statements() {
        let target = CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let cli = AllowPublicUrl {
            function: "hello".into(),
        }
        .cli(&target);
        assert!(cli.contains("--action lambda:InvokeFunctionUrl \\\n  --principal '*' \\\n  --function-url-auth-type NONE"), "{cli}");
        assert!(cli.contains("--action lambda:InvokeFunction \\\n  --principal '*' \\\n  --invoked-via-function-url"), "{cli}");
        let url = CreateFunctionUrl {
            function: "hello".into(),
            auth: UrlAuth::None,
            cors: UrlCors {
                allow_origins: vec!["*".into()],
                ..UrlCors::default()
            },
        }
        .cli(&target);
        assert!(url.contains("--auth-type NONE"), "{url}");
        assert!(url.contains("--cors '{"), "{url}");
    }

    #[test]
    fn the_event_is_payload_format_two() {
        let headers = [
            ("Accept".to_owned(), "application/json".to_owned()),
            ("Cookie".to_owned(), "a=1; b=2".to_owned()),
        ];
        let event: serde_json::Value = serde_json::from_str(&url_event(&UrlRequest {
            method: "POST",
            path: "/orders",
            query: "tag=a&tag=b&name=Ada",
            headers: &headers,
            body: b"{\"x\":1}",
            account_id: "123456789012",
            request_id: "r-1",
            source_ip: "127.0.0.1",
            now_ms: 1,
        }))
        .unwrap();
        assert_eq!(event["version"], "2.0");
        assert_eq!(event["rawPath"], "/orders");
        assert_eq!(event["rawQueryString"], "tag=a&tag=b&name=Ada");
        assert_eq!(event["queryStringParameters"]["tag"], "a,b");
        assert_eq!(event["cookies"], serde_json::json!(["a=1", "b=2"]));
        assert_eq!(event["headers"]["accept"], "application/json");
        assert_eq!(event["requestContext"]["http"]["method"], "POST");
        assert_eq!(event["body"], "{\"x\":1}");
    }
}
