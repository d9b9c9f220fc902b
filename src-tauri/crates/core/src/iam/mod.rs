//! IAM, as Lambda functions need it: execution roles, the policy templates a new role can get
//! (data, `data/policy-templates.toml`), the roles Lambda may assume, deleting a role with what
//! hangs on it, and the plan steps that make a role.

mod access;
mod steps;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use access::{missing_actions, role_name_of};
pub use steps::{AttachRolePolicy, CreateRole, PutRolePolicy};

use crate::aws::{AwsContext, ContextTag};
use crate::error::{AppError, ErrorKind};
use crate::ledger::OWNER_TAG;

/// The trust policy of every role Lambdesk creates: Lambda may assume it.
pub const LAMBDA_TRUST_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTemplate {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Always part of a new role (basic logging).
    #[serde(default)]
    pub always: bool,
    /// An AWS managed policy to attach, or
    pub managed_policy: Option<String>,
    /// an inline policy document with `{region}` and `{account}` placeholders.
    pub inline_policy: Option<String>,
    /// The actions Lambda checks that the role may call when a function is created with it
    /// (`CreateNetworkInterface` for a VPC, `SendMessage` for an SQS dead-letter queue), as its
    /// error messages name them.
    #[serde(default)]
    pub checked_by_lambda: Vec<String>,
}

impl PolicyTemplate {
    /// The name the inline policy is put under.
    pub fn inline_policy_name(&self) -> String {
        format!("lambdesk-{}", self.id)
    }

    pub fn inline_document(&self, region: &str, account: &str) -> Option<String> {
        self.inline_policy.as_ref().map(|document| {
            document
                .trim()
                .replace("{region}", region)
                .replace("{account}", account)
        })
    }
}

#[derive(Deserialize)]
struct Templates {
    template: Vec<PolicyTemplate>,
}

static TEMPLATES: LazyLock<Vec<PolicyTemplate>> = LazyLock::new(|| {
    toml::from_str::<Templates>(include_str!("../../data/policy-templates.toml"))
        .expect("data/policy-templates.toml is checked by a unit test")
        .template
});

pub fn templates() -> &'static [PolicyTemplate] {
    &TEMPLATES
}

pub fn template(id: &str) -> Option<&'static PolicyTemplate> {
    TEMPLATES.iter().find(|template| template.id == id)
}

/// A role the user may pick for a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleSummary {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
}

/// The roles Lambda may assume in one account, tagged with the context they were listed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleList {
    pub context: ContextTag,
    pub roles: Vec<RoleSummary>,
}

/// Roles whose trust policy lets Lambda assume them, sorted by name.
pub async fn list_lambda_roles(ctx: &AwsContext) -> Result<RoleList, AppError> {
    let client = ctx.iam();
    let mut pages = client.list_roles().into_paginator().items().send();
    let mut roles = Vec::new();
    while let Some(role) = pages.next().await {
        let role =
            role.map_err(|err| AppError::from_sdk(err, "list IAM roles", &ctx.endpoint()))?;
        if role
            .assume_role_policy_document()
            .is_some_and(trusts_lambda)
        {
            roles.push(RoleSummary {
                name: role.role_name().to_owned(),
                arn: role.arn().to_owned(),
                description: role
                    .description()
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
            });
        }
    }
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(RoleList {
        context: ctx.tag(),
        roles,
    })
}

/// The role by that name in the context's account, if there is one.
async fn find_role(
    ctx: &AwsContext,
    role: &str,
) -> Result<Option<aws_sdk_iam::types::Role>, AppError> {
    let found = ctx
        .iam()
        .get_role()
        .role_name(role)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &format!("look up role {role}"), &ctx.endpoint()));
    match found {
        Ok(output) => Ok(output.role),
        Err(error) if error.kind == ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Whether the role exists in the context's account.
pub async fn role_exists(ctx: &AwsContext, role: &str) -> Result<bool, AppError> {
    Ok(find_role(ctx, role).await?.is_some())
}

/// Whether the role exists and carries the owner tag with `token`: made by the plan that holds
/// the token, not one of the user's of the same name.
pub async fn role_made_by(ctx: &AwsContext, role: &str, token: &str) -> Result<bool, AppError> {
    Ok(find_role(ctx, role).await?.is_some_and(|role| {
        role.tags()
            .iter()
            .any(|tag| tag.key() == OWNER_TAG && tag.value() == token)
    }))
}

/// Whether a trust policy (as IAM returns it, URL-encoded, or plain) allows
/// `lambda.amazonaws.com` to call `sts:AssumeRole`.
pub fn trusts_lambda(document: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(document).decode_utf8_lossy();
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(&decoded) else {
        return false;
    };
    let as_list = |value: &serde_json::Value| -> Vec<serde_json::Value> {
        match value {
            serde_json::Value::Array(items) => items.clone(),
            serde_json::Value::Null => Vec::new(),
            other => vec![other.clone()],
        }
    };
    as_list(&policy["Statement"]).iter().any(|statement| {
        statement["Effect"] == "Allow"
            && as_list(&statement["Action"])
                .iter()
                .any(|action| action == "sts:AssumeRole" || action == "sts:*" || action == "*")
            && as_list(&statement["Principal"]["Service"])
                .iter()
                .any(|service| service == LAMBDA_SERVICE)
    })
}

/// The ARNs of the managed policies attached to a role; `doing` completes "Could not …".
pub(crate) async fn attached_policy_arns(
    ctx: &AwsContext,
    role: &str,
    doing: &str,
) -> Result<Vec<String>, AppError> {
    let attached = ctx
        .iam()
        .list_attached_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(ctx.failed(doing))?;
    Ok(attached
        .iter()
        .filter_map(|policy| policy.policy_arn().map(str::to_owned))
        .collect())
}

/// The names of a role's inline policies.
pub(crate) async fn inline_policy_names(
    ctx: &AwsContext,
    role: &str,
    doing: &str,
) -> Result<Vec<String>, AppError> {
    ctx.iam()
        .list_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(ctx.failed(doing))
}

/// Deletes a role with its attached and inline policies, which IAM requires gone first.
pub async fn delete_role_with_policies(ctx: &AwsContext, role: &str) -> Result<(), AppError> {
    let client = ctx.iam();
    let endpoint = ctx.endpoint();
    let doing = format!("delete role {role}");
    for arn in attached_policy_arns(ctx, role, &doing).await? {
        client
            .detach_role_policy()
            .role_name(role)
            .policy_arn(arn)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
    }
    for name in inline_policy_names(ctx, role, &doing).await? {
        client
            .delete_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
    }
    client
        .delete_role()
        .role_name(role)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
    tracing::info!(role, account = %ctx.account_id, "deleted a role");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    #[test]
    fn templates_are_well_formed() {
        let ids: Vec<&str> = templates().iter().map(|t| t.id.as_str()).collect();
        for id in [
            "basic",
            "s3-read",
            "dynamodb",
            "sqs-poller",
            "kinesis",
            "vpc",
            "dlq-sns",
            "dlq-sqs",
        ] {
            assert!(ids.contains(&id), "{id}");
        }
        for template in templates() {
            assert!(
                template.managed_policy.is_some() != template.inline_policy.is_some(),
                "{}: one of managed or inline",
                template.id
            );
            if let Some(document) = template.inline_document("eu-west-1", "123456789012") {
                validate::policy_document(&document).unwrap();
                assert!(!document.contains('{') || !document.contains("{region}"));
            }
        }
        assert!(template("basic").unwrap().always);
    }

    #[test]
    fn recognises_a_lambda_trust_policy() {
        assert!(trusts_lambda(LAMBDA_TRUST_POLICY));
        let encoded: String = percent_encoding::utf8_percent_encode(
            LAMBDA_TRUST_POLICY,
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        assert!(trusts_lambda(&encoded));
        let list = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}"#;
        assert!(trusts_lambda(list));
        let ec2 = LAMBDA_TRUST_POLICY.replace("lambda.amazonaws.com", "ec2.amazonaws.com");
        assert!(!trusts_lambda(&ec2));
        let denied = LAMBDA_TRUST_POLICY.replace("Allow", "Deny");
        assert!(!trusts_lambda(&denied));
        assert!(!trusts_lambda("not json"));
    }
}
