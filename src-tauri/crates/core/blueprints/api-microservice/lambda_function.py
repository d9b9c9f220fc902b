import json


def respond(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def lambda_handler(event, context):
    method = event.get("httpMethod")
    print("Received", method or event.get("detail-type") or "an event", event.get("path") or "")
    if method in ("POST", "PUT", "PATCH"):
        try:
            item = json.loads(event.get("body") or "null")
        except ValueError:
            return respond(400, {"message": "The body is not JSON."})
        return respond(201 if method == "POST" else 200, {"received": item, "path": event.get("path")})
    params = event.get("queryStringParameters") or {}
    name = params.get("name", "world")
    return respond(200, {"message": f"Hello, {name}!", "path": event.get("path")})
