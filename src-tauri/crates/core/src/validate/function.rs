//! The rules for a new function's settings, its role and its code location, as the Lambda, IAM and
//! S3 APIs enforce them.

use super::invalid;
use crate::error::AppError;
use crate::ledger::OWNER_TAG;
use crate::runtimes;

pub const MEMORY_MB: (i32, i32) = (128, 10_240);
pub const TIMEOUT_SECONDS: (i32, i32) = (1, 900);
pub const EPHEMERAL_MB: (i32, i32) = (512, 10_240);
const HANDLER_MAX: usize = 128;
const DESCRIPTION_MAX: usize = 256;
/// Lambda's limit on all environment variables of a function together.
pub const ENVIRONMENT_MAX_BYTES: usize = 4096;
const TAGS_MAX: usize = 50;
const TAG_KEY_MAX: usize = 128;
const TAG_VALUE_MAX: usize = 256;
const SUBNETS_MAX: usize = 16;
const SECURITY_GROUPS_MAX: usize = 5;
const ROLE_NAME_MAX: usize = 64;
/// IAM's limit on a role's inline policies, whitespace not counted.
const INLINE_POLICY_MAX: usize = 10_240;
const S3_KEY_MAX: usize = 1024;

/// Environment variables Lambda sets itself and refuses from the user.
const RESERVED_ENVIRONMENT: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// A runtime a new function may use: in the table and not yet deprecated on `today`.
pub fn runtime_for_new_function(id: &str, today: &str) -> Result<(), AppError> {
    match runtimes::runtime(id) {
        None => Err(invalid(
            "runtime",
            format!("Runtime \"{id}\" is not one Lambda offers."),
            "Pick a runtime from the list, e.g. python3.13 or nodejs22.x.",
        )),
        Some(runtime) if !runtime.offered_on(today) => Err(invalid(
            "runtime",
            format!(
                "{} was deprecated on {}; AWS blocks new functions on it from {}.",
                runtime.name, runtime.deprecated, runtime.block_create
            ),
            "Pick a supported version of the language.",
        )),
        Some(_) => Ok(()),
    }
}

/// A handler such as `lambda_function.lambda_handler`: 1 to 128 characters with no spaces.
/// A handler for a runtime of `language` (unknown when the runtime is not in the table). A custom
/// runtime's handler is the package's own business (its `bootstrap` reads it), so any word goes.
pub fn handler(value: &str, language: Option<runtimes::Language>) -> Result<(), AppError> {
    if value.is_empty() || value.len() > HANDLER_MAX || value.chars().any(char::is_whitespace) {
        return Err(invalid(
            "handler",
            format!("Handler must be 1 to {HANDLER_MAX} characters with no spaces."),
            "Use file.function, e.g. lambda_function.lambda_handler or index.handler.",
        ));
    }
    if language == Some(runtimes::Language::Custom) {
        return Ok(());
    }
    if !value.contains('.') && !value.contains("::") {
        return Err(invalid(
            "handler",
            format!("Handler \"{value}\" names no function."),
            "Use file.function, e.g. lambda_function.lambda_handler or index.handler.",
        ));
    }
    Ok(())
}

pub fn description(value: &str) -> Result<(), AppError> {
    let length = value.chars().count();
    if length > DESCRIPTION_MAX {
        return Err(invalid(
            "description",
            format!("Description is {length} characters; Lambda allows at most {DESCRIPTION_MAX}."),
            "Shorten it.",
        ));
    }
    Ok(())
}

fn in_range(
    field: &str,
    label: &str,
    unit: &str,
    value: i32,
    (min, max): (i32, i32),
) -> Result<(), AppError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(invalid(
        field,
        format!("{label} must be between {min} and {max} {unit}; {value} is not."),
        &format!("Lambda allows {min} to {max} {unit}."),
    ))
}

pub fn memory_mb(value: i32) -> Result<(), AppError> {
    in_range("memoryMb", "Memory", "MB", value, MEMORY_MB)
}

pub fn timeout_seconds(value: i32) -> Result<(), AppError> {
    in_range(
        "timeoutSeconds",
        "Timeout",
        "seconds",
        value,
        TIMEOUT_SECONDS,
    )
}

pub fn ephemeral_mb(value: i32) -> Result<(), AppError> {
    in_range(
        "ephemeralMb",
        "Ephemeral storage",
        "MB",
        value,
        EPHEMERAL_MB,
    )
}

/// Environment variables: keys `[a-zA-Z][a-zA-Z0-9_]+`, none reserved by Lambda, none twice,
/// and at most 4 KB of keys and values together.
pub fn environment<'a>(
    variables: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    let mut seen: Vec<&str> = Vec::new();
    let mut total = 0;
    for (key, value) in variables {
        let well_formed = key.len() >= 2
            && key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            return Err(invalid(
                "environment",
                format!("Environment variable \"{key}\" is not a valid name."),
                "Names start with a letter and hold at least two letters, digits or underscores.",
            ));
        }
        if RESERVED_ENVIRONMENT.contains(&key) {
            return Err(invalid(
                "environment",
                format!("Environment variable {key} is reserved: Lambda sets it itself."),
                "Use another name.",
            ));
        }
        if seen.contains(&key) {
            return Err(invalid(
                "environment",
                format!("Environment variable {key} is set twice."),
                "Keep one of them.",
            ));
        }
        seen.push(key);
        total += key.len() + value.len();
    }
    if total > ENVIRONMENT_MAX_BYTES {
        return Err(invalid(
            "environment",
            format!(
                "Environment variables take {total} bytes; Lambda allows {ENVIRONMENT_MAX_BYTES} in total."
            ),
            "Move large values to Parameter Store or Secrets Manager and read them at start.",
        ));
    }
    Ok(())
}

/// Tags: at most 50; keys 1 to 128 and values up to 256 characters of letters, digits, spaces and
/// `_ . : / = + - @`; keys starting with `aws:` are AWS's own.
pub fn tags<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), AppError> {
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > TAG_KEY_MAX || !key.chars().all(allowed) {
            return Err(invalid(
                "tags",
                format!(
                    "Tag key \"{key}\" must be 1 to {TAG_KEY_MAX} letters, digits, spaces or _ . : / = + - @."
                ),
                "Rename the tag.",
            ));
        }
        if key.to_lowercase().starts_with("aws:") {
            return Err(invalid(
                "tags",
                format!("Tag key \"{key}\" starts with aws:, which AWS keeps for itself."),
                "Use another prefix.",
            ));
        }
        if value.chars().count() > TAG_VALUE_MAX || !value.chars().all(allowed) {
            return Err(invalid(
                "tags",
                format!(
                    "The value of tag \"{key}\" must be at most {TAG_VALUE_MAX} letters, digits, spaces or _ . : / = + - @."
                ),
                "Shorten or simplify the value.",
            ));
        }
        if seen.contains(&key) {
            return Err(invalid(
                "tags",
                format!("Tag \"{key}\" is set twice."),
                "Keep one of them.",
            ));
        }
        seen.push(key);
    }
    if seen.len() > TAGS_MAX {
        return Err(invalid(
            "tags",
            format!(
                "{} tags; a function may have at most {TAGS_MAX}.",
                seen.len()
            ),
            "Remove some.",
        ));
    }
    Ok(())
}

/// A new function's tags: as `tags`, and leaving room for the owner tag Lambdesk adds to what it
/// makes (`ledger::OWNER_TAG`), whose key is Lambdesk's own.
pub fn new_function_tags<'a>(
    new_tags: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Result<(), AppError> {
    tags(new_tags.clone())?;
    let keys: Vec<&str> = new_tags.into_iter().map(|(key, _)| key).collect();
    if keys.contains(&OWNER_TAG) {
        return Err(invalid(
            "tags",
            format!("Tag key \"{OWNER_TAG}\" is the one Lambdesk marks what it creates with."),
            "Use another key.",
        ));
    }
    if keys.len() >= TAGS_MAX {
        return Err(invalid(
            "tags",
            format!(
                "{} tags; a new function may have at most {}, beside the {OWNER_TAG} tag Lambdesk adds.",
                keys.len(),
                TAGS_MAX - 1
            ),
            "Remove some.",
        ));
    }
    Ok(())
}

/// A dead-letter target: the ARN of an SNS topic or an SQS queue.
pub fn dead_letter_arn(value: &str) -> Result<(), AppError> {
    let parts: Vec<&str> = value.split(':').collect();
    let well_formed = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && matches!(parts[2], "sns" | "sqs")
        && super::region(parts[3]).is_ok()
        && is_account_id(parts[4])
        && !parts[5].is_empty()
        && parts[5].len() <= 256
        && parts[5]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if well_formed {
        return Ok(());
    }
    Err(invalid(
        "deadLetterArn",
        format!("Dead-letter target \"{value}\" is not an SNS topic or SQS queue ARN."),
        "Use an ARN such as arn:aws:sqs:us-east-1:123456789012:my-dlq.",
    ))
}

fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

fn is_resource_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A VPC configuration: subnet ids `subnet-` and security-group ids `sg-` followed by 8 or 17 hex
/// digits, at most 16 and 5, and both or neither.
pub fn vpc(subnet_ids: &[String], security_group_ids: &[String]) -> Result<(), AppError> {
    if let Some(bad) = subnet_ids.iter().find(|id| !is_resource_id(id, "subnet-")) {
        return Err(invalid(
            "subnetIds",
            format!("\"{bad}\" is not a subnet id."),
            "Subnet ids look like subnet-0abc1234def567890.",
        ));
    }
    if let Some(bad) = security_group_ids
        .iter()
        .find(|id| !is_resource_id(id, "sg-"))
    {
        return Err(invalid(
            "securityGroupIds",
            format!("\"{bad}\" is not a security group id."),
            "Security group ids look like sg-0abc1234def567890.",
        ));
    }
    if subnet_ids.len() > SUBNETS_MAX {
        return Err(invalid(
            "subnetIds",
            format!(
                "{} subnets; Lambda takes at most {SUBNETS_MAX}.",
                subnet_ids.len()
            ),
            "Pick fewer subnets.",
        ));
    }
    if security_group_ids.len() > SECURITY_GROUPS_MAX {
        return Err(invalid(
            "securityGroupIds",
            format!(
                "{} security groups; Lambda takes at most {SECURITY_GROUPS_MAX}.",
                security_group_ids.len()
            ),
            "Pick fewer security groups.",
        ));
    }
    if subnet_ids.is_empty() != security_group_ids.is_empty() {
        let field = if subnet_ids.is_empty() {
            "subnetIds"
        } else {
            "securityGroupIds"
        };
        return Err(invalid(
            field,
            "A function in a VPC needs both subnets and security groups.",
            "Add both, or leave both empty to run outside a VPC.",
        ));
    }
    Ok(())
}

/// An IAM role name: 1 to 64 letters, digits and `+=,.@_-`.
pub fn role_name(value: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if value.is_empty() || value.len() > ROLE_NAME_MAX || !value.chars().all(allowed) {
        return Err(invalid(
            "roleName",
            format!(
                "Role name \"{value}\" must be 1 to {ROLE_NAME_MAX} letters, digits or + = , . @ _ -."
            ),
            "IAM accepts no other characters.",
        ));
    }
    Ok(())
}

/// An IAM role ARN: `arn:aws:iam::<account>:role/<path/>name`.
pub fn role_arn(value: &str) -> Result<(), AppError> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let well_formed = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && is_account_id(parts[4])
        && parts[5]
            .strip_prefix("role/")
            .and_then(|path| path.rsplit('/').next())
            .is_some_and(|name| role_name(name).is_ok());
    if well_formed {
        return Ok(());
    }
    Err(invalid(
        "roleArn",
        format!("\"{value}\" is not an IAM role ARN."),
        "Pick a role from the list, or create a new one.",
    ))
}

/// A custom policy document: JSON with a Version and statements that each have an Effect, an
/// Action and a Resource, within IAM's size limit.
pub fn policy_document(document: &str) -> Result<(), AppError> {
    let problem = |message: String| {
        invalid(
            "customPolicy",
            message,
            "Write it like {\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::my-bucket/*\"}]}.",
        )
    };
    let size = document.chars().filter(|c| !c.is_whitespace()).count();
    if size > INLINE_POLICY_MAX {
        return Err(problem(format!(
            "The policy is {size} characters; IAM allows {INLINE_POLICY_MAX} for a role's inline policies."
        )));
    }
    let policy: serde_json::Value = serde_json::from_str(document)
        .map_err(|err| problem(format!("The policy is not valid JSON: {err}.")))?;
    if !matches!(
        policy["Version"].as_str(),
        Some("2012-10-17" | "2008-10-17")
    ) {
        return Err(problem(
            "The policy needs \"Version\": \"2012-10-17\".".into(),
        ));
    }
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(items) if !items.is_empty() => items.clone(),
        serde_json::Value::Object(_) => vec![policy["Statement"].clone()],
        _ => return Err(problem("The policy needs at least one Statement.".into())),
    };
    for (index, statement) in statements.iter().enumerate() {
        let number = index + 1;
        if !matches!(statement["Effect"].as_str(), Some("Allow" | "Deny")) {
            return Err(problem(format!(
                "Statement {number} needs \"Effect\": \"Allow\" or \"Deny\"."
            )));
        }
        if statement.get("Action").is_none() && statement.get("NotAction").is_none() {
            return Err(problem(format!("Statement {number} needs an Action.")));
        }
        if statement.get("Resource").is_none() && statement.get("NotResource").is_none() {
            return Err(problem(format!("Statement {number} needs a Resource.")));
        }
        if statement.get("Principal").is_some() {
            return Err(problem(format!(
                "Statement {number} has a Principal, which belongs in a trust or resource policy, not a role's permissions."
            )));
        }
    }
    Ok(())
}

/// An S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending
/// with a letter or digit, not shaped like an IP address.
pub fn s3_bucket(value: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ip_like =
        value.split('.').count() == 4 && value.split('.').all(|part| part.parse::<u8>().is_ok());
    if (3..=63).contains(&value.len())
        && value.chars().all(allowed)
        && edge_ok(value.chars().next())
        && edge_ok(value.chars().last())
        && !value.contains("..")
        && !ip_like
    {
        return Ok(());
    }
    Err(invalid(
        "s3Bucket",
        format!("\"{value}\" is not a valid S3 bucket name."),
        "Bucket names are 3 to 63 lowercase letters, digits, dots and hyphens.",
    ))
}

pub fn s3_key(value: &str) -> Result<(), AppError> {
    if value.is_empty() || value.len() > S3_KEY_MAX {
        return Err(invalid(
            "s3Key",
            format!("The S3 key must be 1 to {S3_KEY_MAX} bytes."),
            "Give the object's key, e.g. builds/function.zip.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<(), AppError>) -> Option<String> {
        result.err().and_then(|error| error.field)
    }

    #[test]
    fn runtimes_must_be_in_the_table_and_current() {
        assert!(runtime_for_new_function("python3.13", "2026-11-24").is_ok());
        assert_eq!(
            field(runtime_for_new_function("python3.99", "2026-11-24")).as_deref(),
            Some("runtime")
        );
        let deprecated = runtime_for_new_function("python3.9", "2026-11-24").unwrap_err();
        assert!(
            deprecated.message.contains("2025-12-15"),
            "{}",
            deprecated.message
        );
    }

    #[test]
    fn handlers_name_a_file_and_a_function() {
        assert!(handler("lambda_function.lambda_handler", None).is_ok());
        assert!(handler("example.Handler::handleRequest", None).is_ok());
        let custom = Some(runtimes::Language::Custom);
        assert!(handler("bootstrap", custom).is_ok());
        assert!(handler("anything-goes", custom).is_ok());
        assert!(handler("has space", custom).is_err());
        assert!(handler("bootstrap", Some(runtimes::Language::Python)).is_err());
        for bad in ["", "lambda handler", "nodot", &"a.".repeat(65)] {
            assert_eq!(
                field(handler(bad, None)).as_deref(),
                Some("handler"),
                "{bad}"
            );
        }
    }

    #[test]
    fn numeric_settings_have_lambdas_ranges() {
        assert!(memory_mb(128).is_ok() && memory_mb(10_240).is_ok());
        assert_eq!(field(memory_mb(99_999)).as_deref(), Some("memoryMb"));
        assert!(memory_mb(127).is_err());
        assert!(timeout_seconds(1).is_ok() && timeout_seconds(900).is_ok());
        assert_eq!(
            field(timeout_seconds(901)).as_deref(),
            Some("timeoutSeconds")
        );
        assert!(timeout_seconds(0).is_err());
        assert!(ephemeral_mb(512).is_ok() && ephemeral_mb(10_240).is_ok());
        assert_eq!(field(ephemeral_mb(511)).as_deref(), Some("ephemeralMb"));
        assert!(ephemeral_mb(10_241).is_err());
    }

    #[test]
    fn descriptions_are_at_most_256_characters() {
        assert!(description(&"é".repeat(256)).is_ok());
        assert_eq!(
            field(description(&"x".repeat(257))).as_deref(),
            Some("description")
        );
    }

    #[test]
    fn environment_keys_and_size() {
        assert!(environment([("TABLE_NAME", "orders"), ("Mode2", "")]).is_ok());
        for bad in [
            "1BAD",
            "A",
            "WITH-DASH",
            "with space",
            "",
            "AWS_REGION",
            "_HANDLER",
        ] {
            let error = environment([(bad, "x")]).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("environment"), "{bad}");
        }
        assert!(environment([("KEY", "a"), ("KEY", "b")]).is_err());
        let value = "v".repeat(1000);
        let five_kb: Vec<(String, String)> = (0..5)
            .map(|i| (format!("VAR_{i}"), value.clone()))
            .collect();
        let error = environment(five_kb.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_err();
        assert!(error.message.contains("4096"), "{}", error.message);
        let fits = "v".repeat(ENVIRONMENT_MAX_BYTES - 2);
        assert!(environment([("OK", fits.as_str())]).is_ok());
    }

    #[test]
    fn tags_limits_and_the_aws_prefix() {
        assert!(tags([("team", "payments"), ("cost-center", "12/a b@c")]).is_ok());
        assert!(
            tags([("aws:createdBy", "me")])
                .unwrap_err()
                .message
                .contains("aws:")
        );
        assert!(tags([("AWS:x", "me")]).is_err());
        assert!(tags([("", "x")]).is_err());
        assert!(tags([(&*"k".repeat(129), "x")]).is_err());
        assert!(tags([("k", &*"v".repeat(257))]).is_err());
        assert!(tags([("k", "semi;colon")]).is_err());
        assert!(tags([("k", "a"), ("k", "b")]).is_err());
        let many: Vec<(String, String)> =
            (0..51).map(|i| (format!("k{i}"), String::new())).collect();
        assert_eq!(
            field(tags(many.iter().map(|(k, v)| (k.as_str(), v.as_str())))).as_deref(),
            Some("tags")
        );
    }

    #[test]
    fn a_new_function_leaves_room_for_the_owner_tag() {
        assert!(new_function_tags([("team", "payments")]).is_ok());
        assert!(new_function_tags([("aws:x", "me")]).is_err());
        let owner = new_function_tags([("lambdesk:plan", "mine")]).unwrap_err();
        assert_eq!(owner.field.as_deref(), Some("tags"));
        assert!(owner.message.contains("lambdesk:plan"), "{}", owner.message);
        let keys: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
        let full =
            |count: usize| new_function_tags(keys[..count].iter().map(|key| (key.as_str(), "")));
        assert!(full(49).is_ok());
        let over = full(50).unwrap_err();
        assert!(over.message.contains("at most 49"), "{}", over.message);
    }

    #[test]
    fn dead_letter_targets_are_sns_or_sqs_arns() {
        assert!(dead_letter_arn("arn:aws:sqs:us-east-1:123456789012:my-dlq").is_ok());
        assert!(dead_letter_arn("arn:aws:sns:eu-west-1:123456789012:alerts").is_ok());
        for bad in [
            "my-dlq",
            "arn:aws:s3:us-east-1:123456789012:bucket",
            "arn:aws:sqs:us-east-1:1234:q",
            "arn:aws:sqs:moon-1:123456789012:q",
        ] {
            assert_eq!(
                field(dead_letter_arn(bad)).as_deref(),
                Some("deadLetterArn"),
                "{bad}"
            );
        }
    }

    #[test]
    fn vpc_ids_formats_and_counts() {
        let ids = |prefix: &str, n: usize| -> Vec<String> {
            (0..n).map(|i| format!("{prefix}{i:08x}")).collect()
        };
        assert!(vpc(&[], &[]).is_ok());
        assert!(vpc(&ids("subnet-", 16), &ids("sg-", 5)).is_ok());
        assert!(
            vpc(
                &["subnet-0abc1234def567890".into()],
                &["sg-0abc1234def567890".into()]
            )
            .is_ok()
        );
        assert_eq!(
            field(vpc(&ids("subnet-", 17), &ids("sg-", 1))).as_deref(),
            Some("subnetIds")
        );
        assert_eq!(
            field(vpc(&ids("subnet-", 1), &ids("sg-", 6))).as_deref(),
            Some("securityGroupIds")
        );
        assert_eq!(
            field(vpc(&["subnet-xyz".into()], &ids("sg-", 1))).as_deref(),
            Some("subnetIds")
        );
        assert_eq!(
            field(vpc(&ids("subnet-", 1), &["sg-ABCDEF12".into()])).as_deref(),
            Some("securityGroupIds")
        );
        assert_eq!(
            field(vpc(&ids("subnet-", 1), &[])).as_deref(),
            Some("securityGroupIds")
        );
    }

    #[test]
    fn roles_by_name_and_arn() {
        assert!(role_name("lambda-hello_world+role=,.@").is_ok());
        assert!(role_name("has space").is_err());
        assert!(role_name(&"r".repeat(65)).is_err());
        assert!(role_arn("arn:aws:iam::123456789012:role/service-role/my-role").is_ok());
        assert!(role_arn("arn:aws:iam::123456789012:user/bob").is_err());
        assert_eq!(field(role_arn("my-role")).as_deref(), Some("roleArn"));
    }

    #[test]
    fn custom_policies_are_checked() {
        let good = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert!(policy_document(good).is_ok());
        for bad in [
            "{not json",
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
        ] {
            assert_eq!(
                field(policy_document(bad)).as_deref(),
                Some("customPolicy"),
                "{bad}"
            );
        }
        let huge = good.replace("s3:GetObject", &"s".repeat(10_300));
        assert!(
            policy_document(&huge)
                .unwrap_err()
                .message
                .contains("10240")
        );
    }

    #[test]
    fn s3_locations() {
        assert!(s3_bucket("my-builds.example").is_ok());
        for bad in [
            "ab",
            "My-Bucket",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
            &"b".repeat(64),
        ] {
            assert_eq!(field(s3_bucket(bad)).as_deref(), Some("s3Bucket"), "{bad}");
        }
        assert!(s3_key("builds/function.zip").is_ok());
        assert!(s3_key("").is_err());
        assert!(s3_key(&"k".repeat(1025)).is_err());
    }
}
