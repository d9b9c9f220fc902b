//! The plan steps that stage a package in S3: a bucket (the user's own, or a new one) and the
//! upload.

use std::path::PathBuf;

use super::{BucketOwner, bucket_owner, create_bucket, delete_bucket_with_objects, delete_object};
use crate::aws::AwsContext;
use crate::error::{AppError, ErrorKind, gone_is_removed};
use crate::ledger::{LedgerEntry, ResourceKind};
use crate::plan::{Applied, Before, CliTarget, Command, Progress, Step, StepFuture};

/// Makes the bucket unless the account has it already; one of the account's own is used as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateBucket {
    pub bucket: String,
}

impl Step for CreateBucket {
    fn summary(&self) -> String {
        format!(
            "Create the S3 bucket {} to stage the package in (a bucket of yours by that name is used as it is).",
            self.bucket
        )
    }

    fn cli(&self, target: &CliTarget) -> String {
        let location =
            (target.region != "us-east-1").then(|| format!("LocationConstraint={}", target.region));
        Command::new("s3api", "create-bucket")
            .option("bucket", &self.bucket)
            .option_if("create-bucket-configuration", location.as_deref())
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(LedgerEntry::new(ResourceKind::Bucket, &self.bucket, ""))
    }

    fn before<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, Before> {
        Box::pin(async move {
            match bucket_owner(ctx, &self.bucket).await? {
                BucketOwner::Nobody => Ok(Before::Absent),
                BucketOwner::Us => Ok(Before::UseExisting),
                BucketOwner::SomeoneElse => Err(AppError::new(
                    ErrorKind::Conflict,
                    format!(
                        "The bucket name {} is taken by another AWS account.",
                        self.bucket
                    ),
                )
                .with_hint("Bucket names are global: choose another name, or one of your buckets.")
                .with_field("stagingBucket")),
            }
        })
    }

    fn apply<'a>(&'a self, ctx: &'a AwsContext, _: &'a dyn Progress) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            create_bucket(ctx, &self.bucket).await?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(
            async move { gone_is_removed(delete_bucket_with_objects(ctx, &self.bucket).await) },
        )
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(async move { Ok(bucket_owner(ctx, &self.bucket).await? == BucketOwner::Us) })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPackage {
    pub bucket: String,
    pub key: String,
    pub file: PathBuf,
}

impl Step for UploadPackage {
    fn summary(&self) -> String {
        format!("Upload the package to s3://{}/{}.", self.bucket, self.key)
    }

    fn cli(&self, target: &CliTarget) -> String {
        Command::new("s3", "cp")
            .positional(&self.file.display().to_string())
            .positional(&format!("s3://{}/{}", self.bucket, self.key))
            .target(target)
            .render()
    }

    fn creates(&self) -> Option<LedgerEntry> {
        Some(LedgerEntry::object(&self.bucket, &self.key, ""))
    }

    fn apply<'a>(
        &'a self,
        ctx: &'a AwsContext,
        progress: &'a dyn Progress,
    ) -> StepFuture<'a, Applied> {
        Box::pin(async move {
            super::upload(ctx, &self.file, &self.bucket, &self.key, &|sent, total| {
                progress.sent(sent, total);
            })
            .await?;
            Ok(Applied::default())
        })
    }

    fn undo<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, ()> {
        Box::pin(async move { gone_is_removed(delete_object(ctx, &self.bucket, &self.key).await) })
    }

    fn exists<'a>(&'a self, ctx: &'a AwsContext) -> StepFuture<'a, bool> {
        Box::pin(super::object_exists(ctx, &self.bucket, &self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_steps_are_the_s3_commands() {
        let sandbox = CliTarget {
            region: "eu-west-1".into(),
            endpoint_url: Some("http://127.0.0.1:4566".into()),
        };
        let aws = CliTarget {
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let bucket = CreateBucket {
            bucket: "my-builds".into(),
        };
        assert_eq!(
            bucket.cli(&sandbox),
            "aws s3api create-bucket \\\n  --bucket my-builds \\\n  --create-bucket-configuration LocationConstraint=eu-west-1 \\\n  --region eu-west-1 \\\n  --endpoint-url http://127.0.0.1:4566"
        );
        assert_eq!(
            bucket.cli(&aws),
            "aws s3api create-bucket \\\n  --bucket my-builds \\\n  --region us-east-1"
        );
        assert_eq!(
            UploadPackage {
                bucket: "my-builds".into(),
                key: "lambdesk-packages/big.zip".into(),
                file: "/tmp/my code/big.zip".into()
            }
            .cli(&aws),
            "aws s3 cp '/tmp/my code/big.zip' s3://my-builds/lambdesk-packages/big.zip \\\n  --region us-east-1"
        );
    }
}
