//! The rules Lambda's Invoke applies to a payload (JSON, at most 6 MB when the caller waits for the
//! answer and 256 KB when it does not), and the console's rule for a saved test event's name.

use crate::error::{AppError, ErrorKind};

pub const MAX_SYNC_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;
pub const MAX_ASYNC_PAYLOAD_BYTES: usize = 256 * 1024;

/// Checks an invocation's payload before anything runs or is sent.
pub fn invoke_payload(payload: &[u8], asynchronous: bool) -> Result<(), AppError> {
    let (limit, how) = if asynchronous {
        (
            MAX_ASYNC_PAYLOAD_BYTES,
            "256 KB for an asynchronous (Event) invoke",
        )
    } else {
        (MAX_SYNC_PAYLOAD_BYTES, "6 MB for a synchronous invoke")
    };
    if payload.len() > limit {
        return Err(AppError::new(
            ErrorKind::LimitExceeded,
            format!(
                "The event is {:.1} KB; Lambda accepts at most {how}.",
                payload.len() as f64 / 1024.0
            ),
        )
        .with_hint("Send a smaller event, or pass a reference (an S3 key) instead of the data.")
        .with_field("payload"));
    }
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(payload).map_err(|err| {
        AppError::new(
            ErrorKind::Validation,
            format!(
                "The event is not valid JSON: {} at line {}, column {}.",
                describe(&err),
                err.line(),
                err.column()
            ),
        )
        .with_hint(
            "Lambda passes the event to the handler as JSON: fix it, or start from a template.",
        )
        .with_field("payload")
    })?;
    Ok(())
}

const TEST_EVENT_NAME_MAX: usize = 25;

/// A saved test event's name, by the console's rule: 1 to 25 letters, digits, `.`, `-` and `_`.
pub fn test_event_name(name: &str) -> Result<(), AppError> {
    let well_formed = !name.is_empty()
        && name.chars().count() <= TEST_EVENT_NAME_MAX
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if well_formed {
        return Ok(());
    }
    Err(AppError::new(
        ErrorKind::Validation,
        format!("Event name \"{name}\" is not allowed: use 1 to 25 letters, digits, dots, hyphens or underscores."),
    )
    .with_hint("For example HelloWorld or order-created.")
    .with_field("eventName"))
}

fn describe(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_follow_lambdas_limits() {
        assert!(invoke_payload(br#"{"key1":"value1"}"#, false).is_ok());
        assert!(invoke_payload(b"", true).is_ok());
        let large = format!("\"{}\"", "x".repeat(300 * 1024));
        assert!(invoke_payload(large.as_bytes(), false).is_ok());
        let refused = invoke_payload(large.as_bytes(), true).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::LimitExceeded);
        assert!(refused.message.contains("256 KB"), "{}", refused.message);
        let seven_mb = format!("\"{}\"", "x".repeat(7 * 1024 * 1024));
        let refused = invoke_payload(seven_mb.as_bytes(), false).unwrap_err();
        assert!(refused.message.contains("6 MB"), "{}", refused.message);
        assert_eq!(refused.field.as_deref(), Some("payload"));
    }

    #[test]
    fn test_event_names_follow_the_consoles_rule() {
        for good in ["HelloWorld", "order-created", "v1.2_final", &"a".repeat(25)] {
            assert!(test_event_name(good).is_ok(), "{good}");
        }
        for bad in ["", "hello world", "naïve", &"a".repeat(26), "../x"] {
            let refused = test_event_name(bad).unwrap_err();
            assert_eq!(refused.field.as_deref(), Some("eventName"), "{bad}");
        }
    }

    #[test]
    fn a_broken_event_names_line_and_column() {
        let refused = invoke_payload(b"{\n  \"key1\": \"value1\",\n}", false).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Validation);
        assert!(
            refused.message.contains("line 3, column 1"),
            "{}",
            refused.message
        );
    }
}
