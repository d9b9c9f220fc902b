//! The plan steps that make an execution role: create it, attach managed policies, put inline ones.

use aws_sdk_iam::types::Tag;

use super::{LAMBDA_TRUST_POLICY, delete_role_with_policies, role_made_by};
use crate::aws::AwsContext;
use crate::error::ErrorKind;
use crate::error::{AppError, gone_is_removed};
use crate::ledger::{LedgerEntry, OWNER_TAG, ResourceKind};
use crate::plan::{Applied, CliTarget, Command, Progress, Step, StepFuture};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRole {
    pub role: String,
    /// The function the role is for, named in its description.
    pub function: String,
    /// The owner tag's value, which tells this plan's role from another of the same name.
    pub token: String,
}

impl Step for CreateRole {
    fn summary(&self) -> String {
        format!(
            "Create the IAM role {}, which Lambda may assume to run the function.",
            self.role
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("iam", "create-role")
            .option("role-name", &self.role)
            .option("assume-role-policy-document", LAMBDA_TRUST_POLICY)
            .option("tags", &format!("Key={OWNER_TAG},Value={}", self.token))
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(LedgerEntry::new(ResourceKind::Role, &self.role, "").tagged(&self.token))
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            let owner = Tag::builder()
                .key(OWNER_TAG)
                .value(&self.token)
                .build()
                .map_err(|err| AppError::new(ErrorKind::Validation, err.to_string()))?;
            let output = ctx.iam()
                .create_role()
                .role_name(&self.role)
                .assume_role_policy_document(LAMBDA_TRUST_POLICY)
                .description(format!(
                    "Execution role for the Lambda function {}, made by Lambdesk",
                    self.function
                ))
                .tags(owner)
                .send()
                .await
                .map_err(|err| {
                    let error = AppError::from_sdk(
                        err,
                        &format!("create role {}", self.role),
                        &ctx.endpoint(),
                    );
                    if error.kind != ErrorKind::Conflict {
                        return error;
                    }
                    AppError::new(
                        ErrorKind::Conflict,
                        format!("A role named {} already exists in this account.", self.role),
                    )
                    .with_hint("Choose another name for the new role, or pick this one under \"Use an existing role\".")
                    .with_field("roleName")
                })?;
            Ok(Applied {
                arn: output.role().map(|r| r.arn().to_owned()),
                ..Applied::default()
            })
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move { gone_is_removed(delete_role_with_policies(ctx, &self.role).await) })
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(role_made_by(ctx, &self.role, &self.token))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachRolePolicy {
    pub role: String,
    pub policy_arn: String,
}

impl Step for AttachRolePolicy {
    fn summary(&self) -> String {
        let name = self
            .policy_arn
            .rsplit('/')
            .next()
            .unwrap_or(&self.policy_arn);
        format!("Attach the AWS managed policy {name} to {}.", self.role)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("iam", "attach-role-policy")
            .option("role-name", &self.role)
            .option("policy-arn", &self.policy_arn)
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.iam()
                .attach_role_policy()
                .role_name(&self.role)
                .policy_arn(&self.policy_arn)
                .send()
                .await
                .map_err(|err| {
                    AppError::from_sdk(
                        err,
                        &format!("attach {} to {}", self.policy_arn, self.role),
                        &ctx.endpoint(),
                    )
                })?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                ctx.iam()
                    .detach_role_policy()
                    .role_name(&self.role)
                    .policy_arn(&self.policy_arn)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("detach {} from {}", self.policy_arn, self.role),
                            &ctx.endpoint(),
                        )
                    }),
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutRolePolicy {
    pub role: String,
    pub policy_name: String,
    pub document: String,
}

impl Step for PutRolePolicy {
    fn summary(&self) -> String {
        format!("Give {} the inline policy {}.", self.role, self.policy_name)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("iam", "put-role-policy")
            .option("role-name", &self.role)
            .option("policy-name", &self.policy_name)
            .option("policy-document", &self.document)
            .target(target)
            .render()
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            ctx.iam()
                .put_role_policy()
                .role_name(&self.role)
                .policy_name(&self.policy_name)
                .policy_document(&self.document)
                .send()
                .await
                .map_err(|err| {
                    AppError::from_sdk(
                        err,
                        &format!("put policy {} on {}", self.policy_name, self.role),
                        &ctx.endpoint(),
                    )
                })?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move {
            gone_is_removed(
                ctx.iam()
                    .delete_role_policy()
                    .role_name(&self.role)
                    .policy_name(&self.policy_name)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| {
                        AppError::from_sdk(
                            err,
                            &format!("delete policy {} of {}", self.policy_name, self.role),
                            &ctx.endpoint(),
                        )
                    }),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws() -> CliTarget {
        CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        }
    }

    #[test]
    fn role_steps_are_the_iam_commands() {
        assert_eq!(
            CreateRole {
                role: "hello-role".into(),
                function: "hello".into(),
                token: "0a1b2c3d".into(),
            }
            .cli(&aws()),
            format!(
                "aws iam create-role \\\n  --role-name hello-role \\\n  --assume-role-policy-document '{LAMBDA_TRUST_POLICY}' \\\n  --tags Key=lambdesk:plan,Value=0a1b2c3d \\\n  --region us-east-1"
            )
        );
        let sandbox = CliTarget {
            region: "eu-west-1".into(),
            endpoint_url: Some("http://127.0.0.1:4566".into()),
        };
        assert_eq!(
            AttachRolePolicy {
                role: "hello-role".into(),
                policy_arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                    .into()
            }
            .cli(&sandbox),
            "aws iam attach-role-policy \\\n  --role-name hello-role \\\n  --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole \\\n  --region eu-west-1 \\\n  --endpoint-url http://127.0.0.1:4566"
        );
        assert_eq!(
            PutRolePolicy {
                role: "hello-role".into(),
                policy_name: "lambdesk-s3-read".into(),
                document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::it's/*"}]}"#.into()
            }
            .cli(&aws()),
            "aws iam put-role-policy \\\n  --role-name hello-role \\\n  --policy-name lambdesk-s3-read \\\n  --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::it'\\''s/*\"}]}' \\\n  --region us-east-1"
        );
    }
}
