from datetime import datetime, timezone


def lambda_handler(event, context):
    now = datetime.now(timezone.utc).isoformat()
    print(f"Request {context.aws_request_id} ran at {now}")
    return {"requestId": context.aws_request_id, "time": now}
