//! What API Gateway accepts for a REST API trigger: the API's name and id, a resource path, a
//! stage, a method; what Lambda accepts for a function URL's CORS settings; and what a request
//! sent through "Call it" may carry.

use super::invalid;
use crate::error::AppError;

const API_NAME_MAX: usize = 128;
const STAGE_NAME_MAX: usize = 128;
const PATH_MAX: usize = 1024;
/// The methods API Gateway routes, and ANY for all of them.
pub const HTTP_METHODS: [&str; 8] = [
    "ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
];
/// Headers the HTTP client sets from the URL and body; one the page chose could send the request
/// somewhere or as something other than what is shown.
const CALL_RESERVED_HEADERS: [&str; 5] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
];
/// What "Call it" sends at most, as API Gateway's payload limit.
const CALL_BODY_MAX: usize = 10 * 1024 * 1024;

pub fn api_name(value: &str) -> Result<(), AppError> {
    let name = value.trim();
    if name.is_empty() || name.chars().count() > API_NAME_MAX || name.chars().any(char::is_control)
    {
        return Err(invalid(
            "apiName",
            format!("API name must be 1 to {API_NAME_MAX} characters with no control characters."),
            "Use a name such as LambdaMicroservice.",
        ));
    }
    Ok(())
}

/// An id API Gateway assigned: ten lowercase letters and digits.
pub fn api_id(value: &str) -> Result<(), AppError> {
    if value.len() == 10
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(invalid(
            "apiId",
            format!(
                "\"{value}\" is not an API Gateway REST API id (ten lowercase letters and digits)."
            ),
            "Choose the API from the list.",
        ))
    }
}

/// A resource path such as `/hello`, `/items/{id}` or `/files/{proxy+}`: segments of letters,
/// digits, `.`, `_` and `-`, or a `{parameter}`; a greedy `{name+}` only last.
pub fn resource_path(value: &str) -> Result<(), AppError> {
    let hint = "Use a path such as /hello or /items/{id}: letters, digits, . _ - and {parameters}.";
    if !value.starts_with('/') || value.len() > PATH_MAX {
        return Err(invalid(
            "resourcePath",
            format!("Resource path must start with / and be at most {PATH_MAX} characters."),
            hint,
        ));
    }
    if value == "/" {
        return Ok(());
    }
    let segments: Vec<&str> = value[1..].split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let plain = |text: &str| {
            !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        };
        let ok = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => match parameter.strip_suffix('+') {
                Some(greedy) => last && plain(greedy),
                None => plain(parameter),
            },
            None => plain(segment),
        };
        if !ok {
            return Err(invalid(
                "resourcePath",
                format!("Resource path segment \"{segment}\" is not allowed."),
                hint,
            ));
        }
    }
    Ok(())
}

pub fn stage_name(value: &str) -> Result<(), AppError> {
    if !value.is_empty()
        && value.len() <= STAGE_NAME_MAX
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Ok(())
    } else {
        Err(invalid(
            "stageName",
            format!("Stage name must be 1 to {STAGE_NAME_MAX} letters, digits, _ or -."),
            "Use a stage such as prod or dev.",
        ))
    }
}

pub fn http_method(value: &str) -> Result<(), AppError> {
    if HTTP_METHODS.contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            "httpMethod",
            format!("Method \"{value}\" is not one API Gateway routes."),
            "Choose ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.",
        ))
    }
}

const CORS_ITEMS_MAX: usize = 100;
const CORS_MAX_AGE: i32 = 86_400;

/// A function URL's CORS settings, by Lambda's limits.
pub fn url_cors(cors: &crate::lambda::UrlCors) -> Result<(), AppError> {
    let hint = "Use * or origins such as https://example.com, one per line.";
    if cors.allow_origins.len() > CORS_ITEMS_MAX
        || cors.allow_origins.iter().any(|origin| {
            origin.is_empty()
                || origin.len() > 253
                || (origin != "*" && !origin.contains("://"))
                || origin.chars().any(char::is_whitespace)
        })
    {
        return Err(invalid(
            "allowOrigins",
            "Each allowed origin must be * or a scheme and host such as https://example.com.",
            hint,
        ));
    }
    if let Some(method) = cors.allow_methods.iter().find(|method| {
        *method != "*" && (*method == "ANY" || !HTTP_METHODS.contains(&method.as_str()))
    }) {
        return Err(invalid(
            "allowMethods",
            format!("\"{method}\" is not a method a function URL allows."),
            "Use * or GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS.",
        ));
    }
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    for (field, names) in [
        ("allowHeaders", &cors.allow_headers),
        ("exposeHeaders", &cors.expose_headers),
    ] {
        if names.len() > CORS_ITEMS_MAX
            || names
                .iter()
                .any(|name| name.is_empty() || name.len() > 1024 || !name.chars().all(token))
        {
            return Err(invalid(
                field,
                "Each header must be a header name such as Content-Type, or *.",
                "Put one header name per line.",
            ));
        }
    }
    if cors
        .max_age_seconds
        .is_some_and(|age| !(0..=CORS_MAX_AGE).contains(&age))
    {
        return Err(invalid(
            "maxAgeSeconds",
            format!("Max age must be from 0 to {CORS_MAX_AGE} seconds."),
            "Use 0 to have browsers ask every time.",
        ));
    }
    Ok(())
}

/// A request "Call it" sends: a concrete method, a path under the trigger's, headers HTTP allows.
pub fn call_request(
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Result<(), AppError> {
    if method == "ANY" {
        return Err(invalid(
            "method",
            "Choose the method to send; ANY is what the API accepts, not a request.",
            "Choose GET, POST or another method.",
        ));
    }
    http_method(method).map_err(|err| err.with_field("method"))?;
    if !path.starts_with('/')
        || path.len() > PATH_MAX
        || path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '#')
    {
        return Err(invalid(
            "path",
            "Path must start with / and have no spaces, control characters or #.",
            "Use a path such as /hello?name=Ada.",
        ));
    }
    for (name, value) in headers {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(invalid(
                "headers",
                format!("Header name \"{name}\" is not a valid HTTP header name."),
                "Use letters, digits and - in header names, such as Content-Type.",
            ));
        }
        if CALL_RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(invalid(
                "headers",
                format!("Header {name} is set from the URL and body, not by hand."),
                "Remove it; Lambdesk sends it as the request needs.",
            ));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(invalid(
                "headers",
                format!("Header {name} has a control character or line break in its value."),
                "Put the value on one line.",
            ));
        }
    }
    if body.len() > CALL_BODY_MAX {
        return Err(invalid(
            "body",
            "Body is larger than API Gateway's 10 MB limit.",
            "Send a smaller body.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_paths_follow_api_gateways_rules() {
        for good in [
            "/",
            "/hello",
            "/items/{id}",
            "/files/{proxy+}",
            "/v1.2/a_b-c",
        ] {
            assert!(resource_path(good).is_ok(), "{good}");
        }
        for bad in [
            "hello",
            "/hello/",
            "//x",
            "/{proxy+}/more",
            "/a b",
            "/a$b",
            "/{}",
        ] {
            let error = resource_path(bad).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("resourcePath"), "{bad}");
        }
    }

    #[test]
    fn names_ids_stages_and_methods() {
        assert!(api_name("LambdaMicroservice").is_ok());
        assert!(api_name("  ").is_err());
        assert!(api_id("a1b2c3d4e5").is_ok());
        assert!(api_id("../../etc").is_err());
        assert!(stage_name("prod").is_ok());
        assert!(stage_name("pr od").is_err());
        assert!(http_method("ANY").is_ok());
        assert!(http_method("get").is_err());
    }

    #[test]
    fn cors_settings_follow_lambdas_limits() {
        let mut cors = crate::lambda::UrlCors {
            allow_origins: vec!["https://example.com".into(), "*".into()],
            allow_methods: vec!["GET".into(), "*".into()],
            allow_headers: vec!["Content-Type".into()],
            ..Default::default()
        };
        assert!(url_cors(&cors).is_ok());
        cors.allow_origins = vec!["example com".into()];
        assert_eq!(
            url_cors(&cors).unwrap_err().field.as_deref(),
            Some("allowOrigins")
        );
        cors.allow_origins = vec!["*".into()];
        cors.allow_methods = vec!["FETCH".into()];
        assert_eq!(
            url_cors(&cors).unwrap_err().field.as_deref(),
            Some("allowMethods")
        );
        cors.allow_methods = vec![];
        cors.allow_headers = vec!["X Bad".into()];
        assert_eq!(
            url_cors(&cors).unwrap_err().field.as_deref(),
            Some("allowHeaders")
        );
        cors.allow_headers = vec![];
        cors.max_age_seconds = Some(90_000);
        assert_eq!(
            url_cors(&cors).unwrap_err().field.as_deref(),
            Some("maxAgeSeconds")
        );
    }

    #[test]
    fn a_call_sends_a_real_method_and_clean_headers() {
        let ok = [("Content-Type".to_owned(), "application/json".to_owned())];
        assert!(call_request("POST", "/hello?name=Ada", &ok, "{}").is_ok());
        assert_eq!(
            call_request("ANY", "/hello", &ok, "")
                .unwrap_err()
                .field
                .as_deref(),
            Some("method")
        );
        let host = [("Host".to_owned(), "169.254.169.254".to_owned())];
        assert_eq!(
            call_request("GET", "/hello", &host, "")
                .unwrap_err()
                .field
                .as_deref(),
            Some("headers")
        );
        let split = [("X-A".to_owned(), "1\r\nX-B: 2".to_owned())];
        assert_eq!(
            call_request("GET", "/hello", &split, "")
                .unwrap_err()
                .field
                .as_deref(),
            Some("headers")
        );
        assert_eq!(
            call_request("GET", "hello", &ok, "")
                .unwrap_err()
                .field
                .as_deref(),
            Some("path")
        );
    }
}
