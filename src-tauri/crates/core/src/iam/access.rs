//! Whether a role may call given actions, read from its attached and inline policies: enough to
//! say before a trigger is made that the function's role cannot read its source, and which policy
//! template would let it. Only Allow statements' actions are read (wildcards included); resources,
//! conditions, Deny statements and boundaries are not, so a role this calls able may still be
//! refused by AWS, and AWS's own answer then says so.

use crate::aws::AwsContext;
use crate::error::AppError;

/// The role's name in its ARN (`arn:aws:iam::123456789012:role/service-role/name`).
pub fn role_name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Whether a policy action pattern (`sqs:*`, `sqs:Receive*`, `*`, with `?` for one character)
/// covers `action`; IAM compares actions without regard to case.
fn covers(pattern: &str, action: &str) -> bool {
    let pattern: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let action: Vec<char> = action.to_ascii_lowercase().chars().collect();
    // The classic glob walk: on a mismatch after a `*`, let the star take one more character.
    let (mut p, mut a) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while a < action.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, a));
                p += 1;
            }
            Some(&c) if c == '?' || c == action[a] => {
                p += 1;
                a += 1;
            }
            _ => match star {
                Some((star_p, star_a)) => {
                    p = star_p + 1;
                    a = star_a + 1;
                    star = Some((star_p, star_a + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// The actions a policy document's Allow statements name.
fn allowed_actions(document: &str) -> Vec<String> {
    let decoded = percent_encoding::percent_decode_str(document).decode_utf8_lossy();
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(&decoded) else {
        return Vec::new();
    };
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(list) => list.clone(),
        single @ serde_json::Value::Object(_) => vec![single.clone()],
        _ => Vec::new(),
    };
    statements
        .iter()
        .filter(|statement| statement["Effect"] == "Allow")
        .flat_map(|statement| match &statement["Action"] {
            serde_json::Value::String(action) => vec![action.clone()],
            serde_json::Value::Array(list) => list
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The documents of the role's attached (default versions) and inline policies.
async fn role_documents(ctx: &AwsContext, role: &str) -> Result<Vec<String>, AppError> {
    let doing = format!("read the policies of role {role}");
    let mut documents = Vec::new();
    for arn in super::attached_policy_arns(ctx, role, &doing).await? {
        let arn = arn.as_str();
        let details = ctx
            .iam()
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(ctx.failed(&doing))?;
        let Some(version) = details.policy().and_then(|p| p.default_version_id()) else {
            continue;
        };
        let version = ctx
            .iam()
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(ctx.failed(&doing))?;
        if let Some(document) = version.policy_version().and_then(|v| v.document()) {
            documents.push(document.to_owned());
        }
    }
    for name in super::inline_policy_names(ctx, role, &doing).await? {
        let policy = ctx
            .iam()
            .get_role_policy()
            .role_name(role)
            .policy_name(&name)
            .send()
            .await
            .map_err(ctx.failed(&doing))?;
        documents.push(policy.policy_document().to_owned());
    }
    Ok(documents)
}

/// Which of `actions` none of the role's policies allows.
pub async fn missing_actions(
    ctx: &AwsContext,
    role: &str,
    actions: &[&str],
) -> Result<Vec<String>, AppError> {
    let allowed: Vec<String> = role_documents(ctx, role)
        .await?
        .iter()
        .flat_map(|document| allowed_actions(document))
        .collect();
    Ok(actions
        .iter()
        .filter(|action| !allowed.iter().any(|pattern| covers(pattern, action)))
        .map(|action| (*action).to_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_what_iam_says_they_do() {
        assert!(covers("*", "sqs:ReceiveMessage"));
        assert!(covers("sqs:*", "sqs:ReceiveMessage"));
        assert!(covers("SQS:receivemessage", "sqs:ReceiveMessage"));
        assert!(covers("sqs:Receive*", "sqs:ReceiveMessage"));
        assert!(covers("sqs:*Message", "sqs:DeleteMessage"));
        assert!(!covers("sqs:*Message", "sqs:GetQueueAttributes"));
        assert!(!covers("sqs:Send*", "sqs:ReceiveMessage"));
        assert!(!covers("kinesis:*", "sqs:ReceiveMessage"));
    }

    #[test]
    fn only_allow_statements_count() {
        let document = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"*"},
            {"Effect":"Deny","Action":"sqs:GetQueueAttributes","Resource":"*"}]}"#;
        assert_eq!(
            allowed_actions(document),
            ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
        );
        let single = r#"{"Statement":{"Effect":"Allow","Action":"logs:*","Resource":"*"}}"#;
        assert_eq!(allowed_actions(single), ["logs:*"]);
        assert_eq!(
            role_name_of("arn:aws:iam::123456789012:role/service-role/worker"),
            "worker"
        );
    }
}
