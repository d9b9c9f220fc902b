//! Every rule AWS enforces on what a user types, checked here before any request is sent: a local
//! emulator accepts much that AWS refuses, so these checks, not the endpoint, stop bad input.

use crate::error::{AppError, ErrorKind};

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

#[cfg(test)]
mod tests {
    use super::*;

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
