//! REST API triggers against a real moto server: the plan makes the API, resource, method, proxy
//! integration, permission, stage, API key and usage plan it promised; the local gateway serves the
//! API on loopback with API Gateway's proxy event, 502 and 403; the proxy check finds a malformed
//! answer; "Call it" signs for IAM; a function's methods on several APIs are listed together, and
//! none of another function's; and removing the trigger leaves nothing behind. A function URL
//! is made open (with the statements that let anyone call it) or for IAM, served by the local
//! gateway with payload format 2.0, called, and removed.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use lambdesk_core::apigateway::{self, execute_api_prefix, integration_uri};
use lambdesk_core::lambda::{UrlAuth, UrlCors};
use lambdesk_core::lambda::{function_details, statements_for_source};
use lambdesk_core::ledger::{Ledger, ResourceKind};
use lambdesk_core::local::LocalLambda;
use lambdesk_core::local::gateway::LocalGateway;
use lambdesk_core::sandbox_gateway::{PROBLEM_HEADER, SandboxApis, SandboxHost};
use lambdesk_core::triggers::{
    ApiMethodRef, ApiSecurity, CallRequest, HttpHeader, RestApiDraft, UrlCallRequest, UrlDraft,
    call_api, call_function_url, check_proxy_response, compile_function_url, compile_rest_api,
    list_triggers, remove_api_trigger, remove_function_url,
};
use lambdesk_core::{AwsContext, ErrorKind, plan};

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name(label));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Host {
    ctx: AwsContext,
    local: LocalLambda,
}

impl SandboxHost for Host {
    fn contexts(&self) -> Vec<AwsContext> {
        vec![self.ctx.clone()]
    }
    fn local(&self) -> &LocalLambda {
        &self.local
    }
}

async fn gateway(ctx: &AwsContext, data: &std::path::Path) -> (LocalGateway, Arc<Host>) {
    let host = Arc::new(Host {
        ctx: ctx.clone(),
        local: LocalLambda::new(data),
    });
    let gateway = LocalGateway::start(Arc::new(SandboxApis::new(host.clone())))
        .await
        .unwrap();
    (gateway, host)
}

fn draft(api: Option<&str>, path: &str, method: &str, security: ApiSecurity) -> RestApiDraft {
    RestApiDraft {
        existing_api_id: api.map(str::to_owned),
        new_api_name: common::unique_name("LambdaMicroservice"),
        resource_path: path.to_owned(),
        method: method.to_owned(),
        security,
        stage: "prod".to_owned(),
    }
}

/// Every API Gateway and permission trace of one API, to compare before and after.
async fn traces(ctx: &AwsContext, function: &str, api_id: &str) -> Vec<String> {
    let mut found = Vec::new();
    if apigateway::rest_apis(ctx)
        .await
        .unwrap()
        .iter()
        .any(|api| api.id == api_id)
    {
        found.push(format!("api {api_id}"));
    }
    for plan in apigateway::usage_plans_of(ctx, api_id).await.unwrap() {
        found.push(format!("usage plan {}", plan.id));
    }
    let policy = ctx
        .lambda()
        .get_policy()
        .function_name(function)
        .send()
        .await
        .ok()
        .and_then(|answer| answer.policy().map(str::to_owned))
        .unwrap_or_default();
    if policy.contains(&execute_api_prefix(&ctx.region, &ctx.account_id, api_id)) {
        found.push("permission".to_owned());
    }
    found
}

#[tokio::test]
async fn a_rest_api_with_a_key_is_what_the_plan_promised_is_served_locally_and_goes_without_a_trace()
 {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("api");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_blueprint(&ctx, &data, "api-microservice", "api").await;
    let function_arn = function_details(&ctx, &name).await.unwrap().arn;
    let path = format!("/{name}");
    let plan = compile_rest_api(&ctx, &name, &draft(None, &path, "ANY", ApiSecurity::ApiKey))
        .await
        .unwrap();
    let script = plan.script(&plan::CliTarget::of(&ctx));
    assert!(
        script.contains("API_ID=$(aws apigateway create-rest-api"),
        "{script}"
    );
    assert!(script.contains("--rest-api-id \"${API_ID}\""), "{script}");
    assert!(script.contains("--api-key-required"), "{script}");
    let outcome = plan::run(&ctx, &plan, &ledger, &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert_eq!(outcome.revealed.len(), 1, "the key's value is shown once");
    let key = outcome.revealed[0].value.clone();

    let (gateway, _host) = gateway(&ctx, &data).await;
    let listed = list_triggers(&ctx, &name, Some(&gateway.base_url()))
        .await
        .unwrap();
    assert_eq!(listed.apis.len(), 1, "{listed:?}");
    let trigger = &listed.apis[0];
    assert_eq!(
        (trigger.path.as_str(), trigger.method.as_str()),
        (path.as_str(), "ANY")
    );
    assert!(trigger.api_key_required);
    assert_eq!(trigger.stages.len(), 1);
    let url = &trigger.stages[0].invoke_url;
    assert_eq!(
        url,
        &format!("{}/{}/prod{path}", gateway.base_url(), trigger.api_id)
    );

    // The resource, method and proxy integration the plan promised.
    let integration = ctx
        .apigateway()
        .get_integration()
        .rest_api_id(&trigger.api_id)
        .resource_id(&trigger.resource_id)
        .http_method("ANY")
        .send()
        .await
        .unwrap();
    assert_eq!(
        integration.r#type(),
        Some(&aws_sdk_apigateway::types::IntegrationType::AwsProxy)
    );
    assert_eq!(
        integration.uri(),
        Some(integration_uri(&ctx.region, &function_arn).as_str())
    );
    let source =
        apigateway::execute_api_arn(&ctx.region, &ctx.account_id, &trigger.api_id, "ANY", &path);
    assert_eq!(
        statements_for_source(&ctx, &name, &source)
            .await
            .unwrap()
            .len(),
        1
    );
    let plans = apigateway::usage_plans_of(&ctx, &trigger.api_id)
        .await
        .unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].key_ids.len(), 1);
    let kinds: Vec<ResourceKind> = ledger
        .entries(&ctx.account_id, &ctx.region)
        .unwrap()
        .iter()
        .map(|entry| entry.kind)
        .filter(|kind| {
            matches!(
                kind,
                ResourceKind::RestApi | ResourceKind::ApiKey | ResourceKind::UsagePlan
            )
        })
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");

    // Served by the local gateway: a GET with a query string, a POST with a JSON body.
    let http = reqwest::Client::new();
    let got = http
        .get(format!("{url}?name=Ada"))
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.headers()["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(&got.bytes().await.unwrap()).unwrap();
    assert_eq!(body["message"], "Hello, Ada!");
    assert_eq!(body["path"], path);
    let posted = http
        .post(url)
        .header("x-api-key", &key)
        .header("content-type", "application/json")
        .body(r#"{"item": "tea", "count": 2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status().as_u16(), 201);
    let body: serde_json::Value = serde_json::from_slice(&posted.bytes().await.unwrap()).unwrap();
    assert_eq!(
        body["received"],
        serde_json::json!({"item": "tea", "count": 2})
    );
    let keyless = http.get(url).send().await.unwrap();
    assert_eq!(keyless.status().as_u16(), 403);
    let wrong = http
        .get(url)
        .header("x-api-key", "not-the-key")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 403);
    let elsewhere = http
        .get(format!(
            "{}/{}/prod/nothing-here",
            gateway.base_url(),
            trigger.api_id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status().as_u16(), 403);

    // "Call it" goes through the same URL, built in Rust from the trigger.
    let called = call_api(
        &ctx,
        Some(&gateway.base_url()),
        &name,
        &CallRequest {
            trigger: ApiMethodRef {
                api_id: trigger.api_id.clone(),
                resource_id: trigger.resource_id.clone(),
                method: "ANY".into(),
            },
            stage: "prod".into(),
            method: "GET".into(),
            path: format!("{path}?name=Bo"),
            headers: vec![HttpHeader {
                name: "x-api-key".into(),
                value: key.clone(),
            }],
            body: String::new(),
        },
    )
    .await
    .unwrap();
    assert_eq!(called.status, 200);
    assert!(called.body.contains("Hello, Bo!"), "{}", called.body);
    assert!(!called.signed);

    let before = traces(&ctx, &name, &trigger.api_id).await;
    assert_eq!(before.len(), 3, "{before:?}");
    let method = ApiMethodRef {
        api_id: trigger.api_id.clone(),
        resource_id: trigger.resource_id.clone(),
        method: "ANY".into(),
    };
    remove_api_trigger(&ctx, &ledger, &name, &method)
        .await
        .unwrap();
    assert_eq!(
        traces(&ctx, &name, &trigger.api_id).await,
        Vec::<String>::new()
    );
    assert!(
        list_triggers(&ctx, &name, None)
            .await
            .unwrap()
            .apis
            .is_empty()
    );
    assert!(
        ledger
            .entries(&ctx.account_id, &ctx.region)
            .unwrap()
            .iter()
            .all(|entry| !matches!(
                entry.kind,
                ResourceKind::RestApi | ResourceKind::ApiKey | ResourceKind::UsagePlan
            )),
        "the ledger forgets the API, its key and its usage plan"
    );
    let error = remove_api_trigger(&ctx, &ledger, &name, &method)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_malformed_answer_is_a_502_with_its_fix_and_the_check_finds_it_first() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("malformed");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::unique_name("plain");
    common::create_functions(&ctx, std::slice::from_ref(&name)).await;
    let (gateway, host) = gateway(&ctx, &data).await;

    let check = check_proxy_response(&ctx, &host.local, &name, "GET", "/plain")
        .await
        .unwrap();
    assert_eq!(check.status, 502);
    let problem = check.problem.expect("a problem");
    assert!(
        problem.message.contains("not a JSON object"),
        "{}",
        problem.message
    );

    let plan = compile_rest_api(
        &ctx,
        &name,
        &draft(None, "/plain", "GET", ApiSecurity::Open),
    )
    .await
    .unwrap();
    let outcome = plan::run(&ctx, &plan, &ledger, &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    assert!(outcome.revealed.is_empty());
    let listed = list_triggers(&ctx, &name, Some(&gateway.base_url()))
        .await
        .unwrap();
    let answer = reqwest::get(&listed.apis[0].stages[0].invoke_url)
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 502);
    assert!(
        answer.headers()[PROBLEM_HEADER]
            .to_str()
            .unwrap()
            .contains("not a JSON object"),
        "{:?}",
        answer.headers()
    );
    let body: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(body["message"], "Internal server error");

    let good = common::create_blueprint(&ctx, &data, "api-microservice", "good").await;
    let check = check_proxy_response(&ctx, &host.local, &good, "ANY", "/items/{id}")
        .await
        .unwrap();
    assert_eq!((check.status, check.problem), (200, None));
}

#[tokio::test]
async fn a_second_method_reuses_the_api_and_an_iam_method_wants_a_signature() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("reuse");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_blueprint(&ctx, &data, "api-microservice", "iam").await;
    let first = compile_rest_api(
        &ctx,
        &name,
        &draft(None, "/v1/items", "GET", ApiSecurity::Open),
    )
    .await
    .unwrap();
    assert!(plan::run(&ctx, &first, &ledger, &|_| {}).await.succeeded);
    let api_id = list_triggers(&ctx, &name, None).await.unwrap().apis[0]
        .api_id
        .clone();

    // The same path and method again is refused before any request.
    let error = compile_rest_api(
        &ctx,
        &name,
        &draft(Some(&api_id), "/v1/items", "GET", ApiSecurity::Open),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (error.kind, error.field.as_deref()),
        (ErrorKind::Conflict, Some("resourcePath"))
    );

    let second = compile_rest_api(
        &ctx,
        &name,
        &draft(Some(&api_id), "/v1/secure", "POST", ApiSecurity::Iam),
    )
    .await
    .unwrap();
    let script = second.script(&plan::CliTarget::of(&ctx));
    assert!(!script.contains("create-rest-api"), "{script}");
    assert!(
        script.contains(&format!("--rest-api-id {api_id}")),
        "{script}"
    );
    assert_eq!(
        second.steps.len(),
        5,
        "resource, method, integration, permission, deployment"
    );
    let outcome = plan::run(&ctx, &second, &ledger, &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);

    let (gateway, _host) = gateway(&ctx, &data).await;
    let listed = list_triggers(&ctx, &name, Some(&gateway.base_url()))
        .await
        .unwrap();
    assert_eq!(listed.apis.len(), 2, "{listed:?}");
    let secure = listed.apis.iter().find(|api| api.method == "POST").unwrap();
    assert_eq!(secure.authorization, "AWS_IAM");
    let unsigned = reqwest::Client::new()
        .post(&secure.stages[0].invoke_url)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 403);
    let call = CallRequest {
        trigger: ApiMethodRef {
            api_id: api_id.clone(),
            resource_id: secure.resource_id.clone(),
            method: "POST".into(),
        },
        stage: "prod".into(),
        method: "POST".into(),
        path: "/v1/secure".into(),
        headers: vec![HttpHeader {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }],
        body: r#"{"signed": true}"#.into(),
    };
    let signed = call_api(&ctx, Some(&gateway.base_url()), &name, &call)
        .await
        .unwrap();
    assert!(signed.signed);
    assert_eq!(signed.status, 201, "{}", signed.body);
    let wrong_path = CallRequest {
        path: "/v1/other".into(),
        ..call.clone()
    };
    let error = call_api(&ctx, Some(&gateway.base_url()), &name, &wrong_path)
        .await
        .unwrap_err();
    assert_eq!(error.field.as_deref(), Some("path"));

    // Removing one method keeps the API, which still has the other.
    remove_api_trigger(&ctx, &ledger, &name, &call.trigger)
        .await
        .unwrap();
    let left = list_triggers(&ctx, &name, None).await.unwrap().apis;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].method, "GET");
    assert!(
        apigateway::rest_apis(&ctx)
            .await
            .unwrap()
            .iter()
            .any(|api| api.id == api_id)
    );
}

#[tokio::test]
async fn the_methods_of_several_apis_are_listed_together_in_order() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("several");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_blueprint(&ctx, &data, "api-microservice", "several").await;
    let mut made = Vec::new();
    for path in ["/orders", "/refunds", "/stock"] {
        let new_api = compile_rest_api(&ctx, &name, &draft(None, path, "GET", ApiSecurity::Open))
            .await
            .unwrap();
        let outcome = plan::run(&ctx, &new_api, &ledger, &|_| {}).await;
        assert!(outcome.succeeded, "{:?}", outcome.error);
        made.push(path);
    }
    // An API of the account that calls another function is not the function's trigger.
    let other = common::create_blueprint(&ctx, &data, "api-microservice", "other").await;
    let elsewhere = compile_rest_api(&ctx, &other, &draft(None, "/", "GET", ApiSecurity::Open))
        .await
        .unwrap();
    assert!(
        plan::run(&ctx, &elsewhere, &ledger, &|_| {})
            .await
            .succeeded
    );

    let listed = list_triggers(&ctx, &name, None).await.unwrap().apis;
    let mut paths: Vec<&str> = listed.iter().map(|api| api.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, made, "{listed:?}");
    let ids: std::collections::HashSet<&str> =
        listed.iter().map(|api| api.api_id.as_str()).collect();
    assert_eq!(ids.len(), 3, "each method on an API of its own: {listed:?}");
    assert!(
        listed.is_sorted_by_key(|api| (
            api.api_name.clone(),
            api.path.clone(),
            api.method.clone(),
            api.api_id.clone()
        )),
        "listed by API name, path, method and id: {listed:?}"
    );
}

async fn policy(ctx: &AwsContext, function: &str) -> String {
    ctx.lambda()
        .get_policy()
        .function_name(function)
        .send()
        .await
        .ok()
        .and_then(|answer| answer.policy().map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_function_url_is_served_locally_called_and_removed() {
    let ctx = common::sandbox_context().await;
    let data = temp_dir("url");
    let ledger = Ledger::new(data.join("ledger"));
    let name = common::create_blueprint(&ctx, &data, "api-microservice", "url").await;
    let (gateway, _host) = gateway(&ctx, &data).await;
    let open = UrlDraft {
        auth: UrlAuth::None,
        cors: UrlCors {
            allow_origins: vec!["https://example.com".into()],
            allow_methods: vec!["GET".into(), "POST".into()],
            ..UrlCors::default()
        },
    };
    let plan = compile_function_url(&ctx, &name, &open).await.unwrap();
    assert_eq!(
        plan.steps.len(),
        2,
        "the URL and the statements that open it"
    );
    let outcome = plan::run(&ctx, &plan, &ledger, &|_| {}).await;
    assert!(outcome.succeeded, "{:?}", outcome.error);
    let text = policy(&ctx, &name).await;
    assert!(text.contains("FunctionURLAllowPublicAccess"), "{text}");
    assert!(text.contains("FunctionURLAllowInvokeAction"), "{text}");

    let url = list_triggers(&ctx, &name, Some(&gateway.base_url()))
        .await
        .unwrap()
        .url
        .expect("listed");
    assert_eq!(
        url.url,
        format!("{}/lambda-url/{name}/", gateway.base_url())
    );
    assert_eq!(url.auth, UrlAuth::None);
    assert_eq!(url.cors.allow_origins, ["https://example.com"]);
    let got = reqwest::get(format!("{}?name=Ada", url.url)).await.unwrap();
    assert_eq!(got.status().as_u16(), 200);
    let body: serde_json::Value = serde_json::from_slice(&got.bytes().await.unwrap()).unwrap();
    assert_eq!(body["message"], "Hello, Ada!");
    let called = call_function_url(
        &ctx,
        Some(&gateway.base_url()),
        &name,
        &UrlCallRequest {
            method: "GET".into(),
            path: "/?name=Bo".into(),
            headers: Vec::new(),
            body: String::new(),
        },
    )
    .await
    .unwrap();
    assert_eq!(called.status, 200);
    assert!(called.body.contains("Hello, Bo!"), "{}", called.body);
    let again = compile_function_url(&ctx, &name, &open).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::Conflict);

    remove_function_url(&ctx, &name).await.unwrap();
    assert!(
        list_triggers(&ctx, &name, None)
            .await
            .unwrap()
            .url
            .is_none()
    );
    assert!(
        !policy(&ctx, &name).await.contains("FunctionURL"),
        "the statements went with it"
    );
    let gone = reqwest::get(&url.url).await.unwrap();
    assert_eq!(gone.status().as_u16(), 404);

    // An IAM URL wants a signature; Call it signs for the lambda service.
    let iam = UrlDraft {
        auth: UrlAuth::AwsIam,
        cors: UrlCors::default(),
    };
    let plan = compile_function_url(&ctx, &name, &iam).await.unwrap();
    assert_eq!(plan.steps.len(), 1, "no statement opens an IAM URL");
    assert!(plan::run(&ctx, &plan, &ledger, &|_| {}).await.succeeded);
    let unsigned = reqwest::get(format!("{}/lambda-url/{name}/", gateway.base_url()))
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 403);
    let signed = call_function_url(
        &ctx,
        Some(&gateway.base_url()),
        &name,
        &UrlCallRequest {
            method: "POST".into(),
            path: "/orders".into(),
            headers: vec![HttpHeader {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: r#"{"tea": 2}"#.into(),
        },
    )
    .await
    .unwrap();
    assert!(signed.signed);
    assert_eq!(signed.status, 200, "{}", signed.body);
}
