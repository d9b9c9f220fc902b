import urllib.parse

import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    record = event["Records"][0]["s3"]
    bucket = record["bucket"]["name"]
    key = urllib.parse.unquote_plus(record["object"]["key"], encoding="utf-8")
    response = s3.get_object(Bucket=bucket, Key=key)
    print(f"s3://{bucket}/{key}: {response['ContentType']}, {response['ContentLength']} bytes")
    return response["ContentType"]
