//! The Lambda proxy integration's contract: the event API Gateway sends a function for a request,
//! and the answer it needs back. An answer that breaks the contract is what makes API Gateway
//! return 502 "Malformed Lambda proxy response"; `read_answer` says which rule it broke and how to
//! fix it, so the user sees that before the API is published, not after.

use std::collections::HashMap;

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyRequestContext};
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// A request as API Gateway received it, before it becomes the proxy event.
#[derive(Debug, Clone)]
pub struct ProxyRequest<'a> {
    pub method: &'a str,
    /// The resource's path template, such as `/items/{id}`.
    pub resource: &'a str,
    /// The path that was called, such as `/items/42`.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub stage: &'a str,
    pub api_id: &'a str,
    pub resource_id: &'a str,
    pub account_id: &'a str,
    pub request_id: &'a str,
    pub source_ip: &'a str,
    pub now_ms: i64,
}

/// Why API Gateway would answer 502, and what to change in the handler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProxyProblem {
    pub message: String,
    pub fix: String,
}

/// A well-formed answer, as the HTTP response API Gateway makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The values of the path's `{parameters}` when `path` is one of `template`'s, or `None`.
pub fn match_resource(template: &str, path: &str) -> Option<HashMap<String, String>> {
    let wanted: Vec<&str> = template.trim_matches('/').split('/').collect();
    let given: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut parameters = HashMap::new();
    for (index, part) in wanted.iter().enumerate() {
        let name = part.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
        match name {
            Some(greedy) if greedy.ends_with('+') => {
                let rest = given.get(index..).filter(|rest| !rest.is_empty())?;
                parameters.insert(greedy.trim_end_matches('+').to_owned(), rest.join("/"));
                return Some(parameters);
            }
            Some(name) => {
                let value = given.get(index).filter(|value| !value.is_empty())?;
                parameters.insert(name.to_owned(), decode(value));
            }
            None => {
                if given.get(index) != Some(part) {
                    return None;
                }
            }
        }
    }
    (wanted.len() == given.len()).then_some(parameters)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn query_pairs(query: &str) -> HashMap<String, Vec<String>> {
    let mut pairs: HashMap<String, Vec<String>> = HashMap::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.entry(decode(key)).or_default().push(decode(value));
    }
    pairs
}

/// The event API Gateway's Lambda proxy integration sends the function, as JSON.
pub fn request_event(request: &ProxyRequest<'_>) -> String {
    let method = http::Method::from_bytes(request.method.as_bytes()).unwrap_or(http::Method::GET);
    let mut headers = http::HeaderMap::new();
    for (name, value) in request.headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    let query = query_pairs(request.query);
    let path_parameters = match_resource(request.resource, request.path).unwrap_or_default();
    let (body, is_base64_encoded) = if request.body.is_empty() {
        (None, false)
    } else {
        match std::str::from_utf8(request.body) {
            Ok(text) => (Some(text.to_owned()), false),
            Err(_) => (Some(aws_smithy_types::base64::encode(request.body)), true),
        }
    };
    let mut context = ApiGatewayProxyRequestContext::default();
    context.account_id = Some(request.account_id.to_owned());
    context.resource_id = Some(request.resource_id.to_owned());
    context.stage = Some(request.stage.to_owned());
    context.request_id = Some(request.request_id.to_owned());
    context.protocol = Some("HTTP/1.1".to_owned());
    context.identity.source_ip = Some(request.source_ip.to_owned());
    context.resource_path = Some(request.resource.to_owned());
    context.path = Some(format!("/{}{}", request.stage, request.path));
    context.http_method = method.clone();
    context.request_time_epoch = request.now_ms;
    context.apiid = Some(request.api_id.to_owned());
    let mut event = ApiGatewayProxyRequest::default();
    event.resource = Some(request.resource.to_owned());
    event.path = Some(request.path.to_owned());
    event.http_method = method;
    event.multi_value_headers = headers.clone();
    event.headers = headers;
    event.query_string_parameters = query.clone().into();
    event.multi_value_query_string_parameters = query.into();
    event.path_parameters = path_parameters;
    event.request_context = context;
    event.body = body;
    event.is_base64_encoded = is_base64_encoded;
    serde_json::to_string(&event).unwrap_or_default()
}

fn problem(message: &str, fix: &str) -> ProxyProblem {
    ProxyProblem {
        message: message.to_owned(),
        fix: fix.to_owned(),
    }
}

/// The HTTP response API Gateway makes of the function's answer, or why it would answer 502.
pub fn read_answer(payload: &str) -> Result<ProxyAnswer, ProxyProblem> {
    let Ok(Value::Object(answer)) = serde_json::from_str::<Value>(payload) else {
        return Err(problem(
            "The function's answer is not a JSON object.",
            "Return an object such as {\"statusCode\": 200, \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": \"...\"}.",
        ));
    };
    let status = match answer.get("statusCode") {
        None | Some(Value::Null) => {
            return Err(problem(
                "The answer has no statusCode.",
                "Add \"statusCode\": 200 (or the status you mean) to the object the handler returns.",
            ));
        }
        Some(Value::Number(number)) => number.as_u64(),
        Some(Value::String(text)) => text.parse::<u64>().ok(),
        Some(_) => None,
    }
    .and_then(|status| u16::try_from(status).ok())
    .filter(|status| (100..=599).contains(status))
    .ok_or_else(|| {
        problem(
            "The answer's statusCode is not an HTTP status code.",
            "Make statusCode a whole number from 100 to 599, such as 200.",
        )
    })?;
    let mut headers = Vec::new();
    match answer.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(values)) => {
            for (name, value) in values {
                match value {
                    Value::String(text) => headers.push((name.clone(), text.clone())),
                    _ => {
                        return Err(problem(
                            &format!("The header {name} is not a string."),
                            "Make every header value a string, e.g. str(value) in Python or String(value) in JavaScript.",
                        ));
                    }
                }
            }
        }
        Some(_) => {
            return Err(problem(
                "The answer's headers are not an object.",
                "Return headers as an object of names to string values.",
            ));
        }
    }
    match answer.get("multiValueHeaders") {
        None | Some(Value::Null) => {}
        Some(Value::Object(values)) => {
            for (name, value) in values {
                let texts: Option<Vec<&str>> = value
                    .as_array()
                    .and_then(|list| list.iter().map(Value::as_str).collect());
                let Some(texts) = texts else {
                    return Err(problem(
                        &format!("The multi-value header {name} is not a list of strings."),
                        "Make each multiValueHeaders value a list of strings.",
                    ));
                };
                headers.extend(
                    texts
                        .into_iter()
                        .map(|text| (name.clone(), text.to_owned())),
                );
            }
        }
        Some(_) => {
            return Err(problem(
                "The answer's multiValueHeaders are not an object.",
                "Return multiValueHeaders as an object of names to lists of strings.",
            ));
        }
    }
    let base64 = match answer.get("isBase64Encoded") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => {
            return Err(problem(
                "The answer's isBase64Encoded is not true or false.",
                "Set isBase64Encoded to true or false, or leave it out.",
            ));
        }
    };
    let body = match answer.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) if base64 => {
            aws_smithy_types::base64::decode(text).map_err(|_| {
                problem(
                    "The answer says isBase64Encoded, but its body is not base64.",
                    "Encode the body with base64, or set isBase64Encoded to false.",
                )
            })?
        }
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(_) => {
            return Err(problem(
                "The answer's body is not a string.",
                "Serialise the body to a string: json.dumps(body) in Python, JSON.stringify(body) in JavaScript.",
            ));
        }
    };
    Ok(ProxyAnswer {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_answer_becomes_the_response() {
        let answer = read_answer(
            r#"{"statusCode": 201, "headers": {"Content-Type": "application/json"}, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "{\"ok\":true}"}"#,
        )
        .unwrap();
        assert_eq!(answer.status, 201);
        assert_eq!(answer.body, br#"{"ok":true}"#);
        assert_eq!(answer.headers.len(), 3);
        let binary =
            read_answer(r#"{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true}"#).unwrap();
        assert_eq!(binary.body, b"hi");
    }

    #[test]
    fn each_malformed_answer_names_its_fix() {
        let cases = [
            (r#""just a string""#, "not a JSON object"),
            (r#"[1, 2]"#, "not a JSON object"),
            (r#"{"body": "hi"}"#, "no statusCode"),
            (r#"{"statusCode": "OK"}"#, "not an HTTP status"),
            (
                r#"{"statusCode": 200, "body": {"message": "hi"}}"#,
                "body is not a string",
            ),
            (
                r#"{"statusCode": 200, "headers": {"X-Count": 3}}"#,
                "X-Count is not a string",
            ),
            (
                r#"{"statusCode": 200, "headers": ["a"]}"#,
                "headers are not an object",
            ),
            (
                r#"{"statusCode": 200, "isBase64Encoded": "yes"}"#,
                "isBase64Encoded",
            ),
        ];
        for (payload, said) in cases {
            let problem = read_answer(payload).unwrap_err();
            assert!(
                problem.message.contains(said),
                "{payload}: {}",
                problem.message
            );
            assert!(!problem.fix.is_empty());
        }
    }

    #[test]
    fn paths_match_their_templates() {
        assert_eq!(match_resource("/hello", "/hello"), Some(HashMap::new()));
        assert_eq!(match_resource("/hello", "/hello/more"), None);
        let items = match_resource("/items/{id}", "/items/a%20b").unwrap();
        assert_eq!(items["id"], "a b");
        let files = match_resource("/files/{proxy+}", "/files/a/b.txt").unwrap();
        assert_eq!(files["proxy"], "a/b.txt");
        assert_eq!(match_resource("/files/{proxy+}", "/files"), None);
        assert_eq!(match_resource("/", "/"), Some(HashMap::new()));
    }

    #[test]
    fn the_event_is_api_gateways() {
        let headers = [("Accept".to_owned(), "application/json".to_owned())];
        let event: Value = serde_json::from_str(&request_event(&ProxyRequest {
            method: "GET",
            resource: "/hello",
            path: "/hello",
            query: "name=Ada&tag=a&tag=b",
            headers: &headers,
            body: b"",
            stage: "prod",
            api_id: "a1b2c3d4e5",
            resource_id: "r1",
            account_id: "123456789012",
            request_id: "req-1",
            source_ip: "127.0.0.1",
            now_ms: 1_795_000_000_000,
        }))
        .unwrap();
        assert_eq!(event["httpMethod"], "GET");
        assert_eq!(event["resource"], "/hello");
        assert_eq!(event["queryStringParameters"]["name"], "Ada");
        assert_eq!(
            event["multiValueQueryStringParameters"]["tag"],
            serde_json::json!(["a", "b"])
        );
        assert_eq!(event["headers"]["accept"], "application/json");
        assert_eq!(event["requestContext"]["stage"], "prod");
        assert_eq!(event["requestContext"]["apiId"], "a1b2c3d4e5");
        assert_eq!(event["body"], Value::Null);
        assert_eq!(event["isBase64Encoded"], false);
        for key in ["pathParameters", "multiValueHeaders", "stageVariables"] {
            assert!(event.get(key).is_some(), "{key}");
        }
    }
}
