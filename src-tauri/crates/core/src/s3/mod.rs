//! S3, as far as packages need it: buckets to stage a large package in, a multipart upload that
//! reports its progress, removing what was staged, and the plan steps that stage a package.

mod steps;

use std::path::Path;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CompletedMultipartUpload, CompletedPart, CreateBucketConfiguration,
};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;
use ts_rs::TS;

pub use steps::{CreateBucket, UploadPackage};

use crate::aws::{AwsContext, ContextTag, body_timeout};
use crate::error::{AppError, ErrorKind};

/// S3's smallest part but the last is 5 MiB; 8 MiB parts give a progress bar that moves.
const PART_BYTES: usize = 8 * 1024 * 1024;

/// The buckets of one account and region, tagged with the context they were listed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BucketList {
    pub context: ContextTag,
    pub buckets: Vec<String>,
}

/// The account's buckets in the context's region (Lambda reads code only from a bucket in the
/// function's region), sorted by name.
pub async fn list_buckets(ctx: &AwsContext) -> Result<BucketList, AppError> {
    let output = ctx
        .s3()
        .list_buckets()
        .bucket_region(&ctx.region)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, "list S3 buckets", &ctx.endpoint()))?;
    let mut names: Vec<String> = output
        .buckets()
        .iter()
        .filter(|bucket| {
            bucket
                .bucket_region()
                .is_none_or(|region| region == ctx.region)
        })
        .filter_map(|bucket| bucket.name().map(str::to_owned))
        .collect();
    names.sort();
    Ok(BucketList {
        context: ctx.tag(),
        buckets: names,
    })
}

/// Who has a bucket name, as HeadBucket tells: nobody, this account, or someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketOwner {
    Nobody,
    Us,
    SomeoneElse,
}

pub async fn bucket_owner(ctx: &AwsContext, bucket: &str) -> Result<BucketOwner, AppError> {
    let answer = ctx.s3().head_bucket().bucket(bucket).send().await;
    match answer {
        Ok(_) => Ok(BucketOwner::Us),
        Err(err) => match err.raw_response().map(|r| r.status().as_u16()) {
            Some(404) => Ok(BucketOwner::Nobody),
            Some(403) => Ok(BucketOwner::SomeoneElse),
            _ => Err(AppError::from_sdk(
                err,
                &format!("look up bucket {bucket}"),
                &ctx.endpoint(),
            )),
        },
    }
}

/// Whether the object is in the bucket.
pub async fn object_exists(ctx: &AwsContext, bucket: &str, key: &str) -> Result<bool, AppError> {
    let answer = ctx.s3().head_object().bucket(bucket).key(key).send().await;
    match answer {
        Ok(_) => Ok(true),
        Err(err) if err.raw_response().map(|r| r.status().as_u16()) == Some(404) => Ok(false),
        Err(err) => Err(AppError::from_sdk(
            err,
            &format!("look up s3://{bucket}/{key}"),
            &ctx.endpoint(),
        )),
    }
}

pub async fn create_bucket(ctx: &AwsContext, bucket: &str) -> Result<(), AppError> {
    let mut request = ctx.s3().create_bucket().bucket(bucket);
    if ctx.region != "us-east-1" {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(ctx.region.as_str()))
                .build(),
        );
    }
    request.send().await.map_err(|err| {
        AppError::from_sdk(err, &format!("create bucket {bucket}"), &ctx.endpoint())
    })?;
    Ok(())
}

/// Uploads a file in parts, calling `progress(sent, total)` after each; a failed upload is aborted
/// so no parts are left to bill.
pub async fn upload(
    ctx: &AwsContext,
    file: &Path,
    bucket: &str,
    key: &str,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<(), AppError> {
    let s3 = ctx.s3();
    let endpoint = ctx.endpoint();
    let doing = format!("upload the package to s3://{bucket}/{key}");
    let read_failed = |err: std::io::Error| {
        AppError::new(
            ErrorKind::Unknown,
            format!("Could not read {}: {err}", file.display()),
        )
    };
    let mut source = tokio::fs::File::open(file).await.map_err(read_failed)?;
    let total = source.metadata().await.map_err(read_failed)?.len();
    let started = s3
        .create_multipart_upload()
        .bucket(bucket)
        .key(key)
        .content_type("application/zip")
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
    let upload_id = started.upload_id().unwrap_or_default().to_owned();
    let parts = async {
        let mut parts = Vec::new();
        let mut sent = 0u64;
        progress(0, total);
        for number in 1.. {
            let mut chunk = Vec::with_capacity(PART_BYTES);
            (&mut source)
                .take(PART_BYTES as u64)
                .read_to_end(&mut chunk)
                .await
                .map_err(read_failed)?;
            if chunk.is_empty() && number > 1 {
                break;
            }
            let length = chunk.len() as u64;
            let part = s3
                .upload_part()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .part_number(number)
                .body(ByteStream::from(chunk))
                .customize()
                .config_override(
                    aws_sdk_s3::config::Config::builder().timeout_config(body_timeout(length)),
                )
                .send()
                .await
                .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(part.e_tag().map(str::to_owned))
                    .build(),
            );
            sent += length;
            progress(sent, total);
            if length < PART_BYTES as u64 {
                break;
            }
        }
        s3.complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(&upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|err| AppError::from_sdk(err, &doing, &endpoint))?;
        Ok::<(), AppError>(())
    }
    .await;
    if parts.is_err() {
        let aborted = s3
            .abort_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(&upload_id)
            .send()
            .await;
        if let Err(err) = aborted {
            tracing::warn!(bucket, key, error = %AppError::from_sdk(err, "abort the upload", &endpoint), "an aborted upload may have left parts");
        }
    }
    parts
}

pub async fn delete_object(ctx: &AwsContext, bucket: &str, key: &str) -> Result<(), AppError> {
    ctx.s3()
        .delete_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|err| {
            AppError::from_sdk(err, &format!("delete s3://{bucket}/{key}"), &ctx.endpoint())
        })?;
    Ok(())
}

/// Deletes a bucket with every object in it, which S3 requires gone first.
pub async fn delete_bucket_with_objects(ctx: &AwsContext, bucket: &str) -> Result<(), AppError> {
    let s3 = ctx.s3();
    let doing = format!("delete bucket {bucket}");
    let objects = s3
        .list_objects_v2()
        .bucket(bucket)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    for page in objects {
        for object in page.contents() {
            if let Some(key) = object.key() {
                delete_object(ctx, bucket, key).await?;
            }
        }
    }
    s3.delete_bucket()
        .bucket(bucket)
        .send()
        .await
        .map_err(|err| AppError::from_sdk(err, &doing, &ctx.endpoint()))?;
    Ok(())
}
