//! Every rule AWS enforces on what a user types, checked here before any request is sent: a local
//! emulator accepts much that AWS refuses, so these checks, not the endpoint, stop bad input.

mod api;
mod function;
mod invoke;
mod mapping;
mod schedule;

pub use api::*;
pub use function::*;
pub use invoke::*;
pub use mapping::{SourceArn, SourceKind, event_source_arn, mapping_settings};
pub use schedule::{RateUnit, ScheduleExpression, rule_name, schedule_expression};

use crate::error::{AppError, ErrorKind};
use crate::profiles::{KeysInput, ProfileSettings};

const PROFILE_NAME_MAX: usize = 64;
const KEY_ID_MAX: usize = 128;
const SECRET_MAX: usize = 128;
/// AWS issues temporary keys with session tokens of a few hundred to a few thousand characters.
const SESSION_TOKEN_MAX: usize = 8192;
const FUNCTION_NAME_MAX: usize = 64;

/// An AWS region code such as `us-east-1`, `ap-southeast-4` or `us-gov-west-1`: a partition
/// prefix of two to four letters, one or more words, then a number.
pub fn region(value: &str) -> Result<(), AppError> {
    let parts: Vec<&str> = value.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts.first().is_some_and(|prefix| {
            (2..=4).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_lowercase())
        })
        && parts[1..parts.len() - 1]
            .iter()
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|number| {
            (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
        });
    if well_formed {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorKind::Validation,
            format!("Region \"{value}\" is not an AWS region code."),
        )
        .with_hint("Use a code such as us-east-1 or eu-central-1.")
        .with_field("region"))
    }
}

fn invalid(field: &str, message: impl Into<String>, hint: &str) -> AppError {
    AppError::new(ErrorKind::Validation, message)
        .with_hint(hint)
        .with_field(field)
}

/// A profile's name and default region; `taken` holds the other profiles' names.
pub fn profile_settings(
    settings: &ProfileSettings,
    taken: &[&str],
) -> Result<ProfileSettings, AppError> {
    let name = settings.name.trim();
    if name.is_empty() {
        return Err(invalid(
            "name",
            "Name is required.",
            "Give the profile a name you will recognise, such as \"work\" or \"prod-eu\".",
        ));
    }
    if name.chars().count() > PROFILE_NAME_MAX {
        return Err(invalid(
            "name",
            format!("Name is longer than {PROFILE_NAME_MAX} characters."),
            "Use a shorter name.",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "Name contains a control character.",
            "Use letters, digits, spaces and punctuation.",
        ));
    }
    if taken
        .iter()
        .any(|other| other.to_lowercase() == name.to_lowercase())
    {
        return Err(invalid(
            "name",
            format!("A profile named \"{name}\" already exists."),
            "Choose another name; names are compared ignoring case.",
        ));
    }
    let default_region = settings.default_region.trim();
    region(default_region).map_err(|error| error.with_field("defaultRegion"))?;
    Ok(ProfileSettings {
        name: name.to_owned(),
        default_region: default_region.to_owned(),
        production: settings.production,
    })
}

/// Access keys as typed: AWS's shapes for key ids (`AKIA…` long-term, `ASIA…` temporary with a
/// session token); an emulator endpoint accepts any word as a key id.
pub fn keys(input: &KeysInput) -> Result<(), AppError> {
    let endpoint = input.endpoint();
    if let Some(url) = &endpoint {
        endpoint_url(url)?;
    }
    let key_id = input.access_key_id.trim();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if key_id.is_empty() {
        return Err(invalid(
            "accessKeyId",
            "Access key id is required.",
            "Copy it from IAM → Users → Security credentials, or from the CSV AWS let you download.",
        ));
    }
    if key_id.len() > KEY_ID_MAX || !key_id.chars().all(word) {
        return Err(invalid(
            "accessKeyId",
            format!("Access key id must be at most {KEY_ID_MAX} letters and digits."),
            "Check that it was copied whole, without spaces.",
        ));
    }
    let aws_shaped = (key_id.starts_with("AKIA") || key_id.starts_with("ASIA"))
        && key_id.len() >= 16
        && key_id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if endpoint.is_none() && !aws_shaped {
        return Err(invalid(
            "accessKeyId",
            "Access key id is not in AWS's form: AKIA or ASIA and at least 12 more capitals or digits.",
            "Check that it was copied whole; keys for an emulator need its endpoint URL below.",
        ));
    }
    let secret = input.secret_access_key.expose().trim();
    if secret.is_empty() {
        return Err(invalid(
            "secretAccessKey",
            "Secret access key is required.",
            "AWS shows it only once, when the key is created; if it is lost, create a new key in IAM.",
        ));
    }
    if secret.len() > SECRET_MAX || secret.chars().any(char::is_whitespace) {
        return Err(invalid(
            "secretAccessKey",
            format!("Secret access key must be at most {SECRET_MAX} characters with no spaces."),
            "Check that it was copied whole.",
        ));
    }
    let token = input
        .session_token
        .as_ref()
        .map(|token| token.expose().trim())
        .filter(|token| !token.is_empty());
    if let Some(token) = token
        && (token.len() > SESSION_TOKEN_MAX || token.chars().any(char::is_whitespace))
    {
        return Err(invalid(
            "sessionToken",
            format!("Session token must be at most {SESSION_TOKEN_MAX} characters with no spaces."),
            "Check that it was copied whole.",
        ));
    }
    if endpoint.is_none() && key_id.starts_with("ASIA") && token.is_none() {
        return Err(invalid(
            "sessionToken",
            "Temporary keys (ASIA…) need their session token.",
            "Paste the session token that came with these keys.",
        ));
    }
    Ok(())
}

/// An endpoint URL for an AWS-compatible emulator: http or https, with a host.
pub fn endpoint_url(url: &str) -> Result<(), AppError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => Ok(()),
        _ => Err(invalid(
            "endpointUrl",
            format!("Endpoint URL \"{url}\" is not an http or https URL."),
            "Use a URL such as http://127.0.0.1:4566, or leave it empty for AWS itself.",
        )),
    }
}

/// A function name as Lambda takes it: 1 to 64 letters, digits, hyphens and underscores.
pub fn function_name(name: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || name.len() > FUNCTION_NAME_MAX || !name.chars().all(allowed) {
        return Err(invalid(
            "functionName",
            format!(
                "Function name \"{name}\" must be 1 to {FUNCTION_NAME_MAX} letters, digits, hyphens or underscores."
            ),
            "Lambda accepts no other characters in a name.",
        ));
    }
    Ok(())
}

/// A log stream name as CloudWatch Logs takes it: 1 to 512 characters, with no `:` or `*`.
/// A log group's name: 1 to 512 of letters, digits and `_ - / . #`.
pub fn log_group_name(name: &str) -> Result<(), AppError> {
    if name.is_empty() {
        return Err(invalid(
            "group",
            "Choose a log group.",
            "Pick one from the list.",
        ));
    }
    log_group_prefix(name).map_err(|err| err.with_field("group"))
}

/// The start of a log group's name, as the group search takes it; empty for all.
pub fn log_group_prefix(prefix: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-/.#".contains(c);
    if prefix.len() <= 512 && prefix.chars().all(allowed) {
        Ok(())
    } else {
        Err(invalid(
            "prefix",
            "A log group name has only letters, digits and _ - / . # (at most 512).",
            "Type the start of a name, such as /aws/lambda/.",
        ))
    }
}

pub fn log_stream_name(name: &str) -> Result<(), AppError> {
    if name.is_empty()
        || name.len() > 512
        || name.contains([':', '*'])
        || name.chars().any(char::is_control)
    {
        return Err(invalid(
            "logStream",
            format!("\"{name}\" is not a log stream name."),
            "Pick a stream from the list.",
        ));
    }
    Ok(())
}

/// The name a user must type before a destructive action on a production profile.
pub fn typed_confirmation(expected: &str, typed: &str) -> Result<(), AppError> {
    if typed.trim() == expected {
        return Ok(());
    }
    Err(invalid(
        "confirmName",
        format!("Type \"{expected}\" to confirm: this profile is marked as production."),
        "The name must match exactly, so a slip of the mouse cannot delete anything here.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Secret;

    fn input(key_id: &str, secret: &str, token: Option<&str>, endpoint: Option<&str>) -> KeysInput {
        KeysInput {
            access_key_id: key_id.into(),
            secret_access_key: Secret::new(secret),
            session_token: token.map(Secret::new),
            endpoint_url: endpoint.map(str::to_owned),
        }
    }

    fn field_of(result: Result<(), AppError>) -> Option<String> {
        result.err().and_then(|error| error.field)
    }

    #[test]
    fn aws_keys_must_look_like_aws_keys() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(keys(&input("AKIAIOSFODNN7EXAMPLE", secret, None, None)).is_ok());
        assert!(keys(&input(" AKIAIOSFODNN7EXAMPLE ", secret, None, None)).is_ok());
        for bad in [
            "",
            "akiaiosfodnn7example",
            "AKIA IOSFODNN7EXAMPLE",
            "ABCDIOSFODNN7EXAMPLE",
            "AKIA12",
        ] {
            assert_eq!(
                field_of(keys(&input(bad, secret, None, None))).as_deref(),
                Some("accessKeyId"),
                "{bad}"
            );
        }
        for bad in ["", "has space", &"x".repeat(129)] {
            assert_eq!(
                field_of(keys(&input("AKIAIOSFODNN7EXAMPLE", bad, None, None))).as_deref(),
                Some("secretAccessKey"),
                "{bad}"
            );
        }
    }

    #[test]
    fn temporary_keys_need_a_session_token() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(
            field_of(keys(&input("ASIAIOSFODNN7EXAMPLE", secret, None, None))).as_deref(),
            Some("sessionToken")
        );
        assert_eq!(
            field_of(keys(&input(
                "ASIAIOSFODNN7EXAMPLE",
                secret,
                Some("  "),
                None
            )))
            .as_deref(),
            Some("sessionToken")
        );
        assert!(
            keys(&input(
                "ASIAIOSFODNN7EXAMPLE",
                secret,
                Some("FwoGZXIvYXdzE"),
                None
            ))
            .is_ok()
        );
    }

    #[test]
    fn an_emulator_endpoint_takes_any_word_as_key_id() {
        assert!(keys(&input("test", "test", None, Some("http://127.0.0.1:4566"))).is_ok());
        assert_eq!(
            field_of(keys(&input("test", "test", None, Some("ftp://x")))).as_deref(),
            Some("endpointUrl")
        );
        assert_eq!(
            field_of(keys(&input("test", "test", None, Some("http://")))).as_deref(),
            Some("endpointUrl")
        );
        assert_eq!(
            field_of(keys(&input("te st", "test", None, Some("http://h")))).as_deref(),
            Some("accessKeyId")
        );
    }

    #[test]
    fn profile_names_are_required_short_and_unique() {
        let settings = |name: &str, region: &str| ProfileSettings {
            name: name.into(),
            default_region: region.into(),
            production: false,
        };
        let trimmed = profile_settings(&settings(" Work ", "eu-west-1"), &[]).unwrap();
        assert_eq!(trimmed.name, "Work");
        for (name, region, field) in [
            ("", "eu-west-1", "name"),
            (&"x".repeat(65), "eu-west-1", "name"),
            ("tab\there", "eu-west-1", "name"),
            ("PROD", "eu-west-1", "name"),
            ("Work", "europe", "defaultRegion"),
        ] {
            let error = profile_settings(&settings(name, region), &["prod"]).unwrap_err();
            assert_eq!(error.field.as_deref(), Some(field), "{name} {region}");
        }
    }

    #[test]
    fn a_production_confirmation_must_match_the_name_exactly() {
        assert!(typed_confirmation("orders-api", "orders-api").is_ok());
        assert!(typed_confirmation("orders-api", " orders-api ").is_ok());
        for typed in ["", "orders", "Orders-api"] {
            assert_eq!(
                field_of(typed_confirmation("orders-api", typed)).as_deref(),
                Some("confirmName")
            );
        }
    }

    #[test]
    fn function_names_follow_lambdas_rule() {
        assert!(function_name("hello-world_2").is_ok());
        for bad in ["", "has space", "dot.name", &"x".repeat(65)] {
            assert_eq!(
                field_of(function_name(bad)).as_deref(),
                Some("functionName"),
                "{bad}"
            );
        }
    }

    #[test]
    fn real_region_codes_pass() {
        for code in [
            "us-east-1",
            "eu-central-1",
            "ap-southeast-4",
            "us-gov-west-1",
            "eusc-de-east-1",
        ] {
            assert!(region(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn malformed_region_codes_name_the_field() {
        for code in [
            "",
            "us-east",
            "US-EAST-1",
            "us east 1",
            "us--1",
            "useast1",
            "us-east-100",
        ] {
            let error = region(code).expect_err(code);
            assert_eq!(error.kind, ErrorKind::Validation);
            assert_eq!(error.field.as_deref(), Some("region"));
        }
    }
}
