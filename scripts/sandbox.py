"""Starts, stops and seeds Lambdesk's local AWS sandbox: a moto server on 127.0.0.1 (with the
function code handed out, see sandbox_server.py).

  sandbox.py start --state DIR [--port N]   start (or reuse) a sandbox; prints its URL
  sandbox.py stop --state DIR               stop it and wait until it is gone
  sandbox.py seed --url URL NAME...         create Python functions (and the role they run as)
  sandbox.py seed --url URL --blueprint DIR NAME...
                                            the same with a blueprint's code, runtime and handler
  sandbox.py seed --url URL --account ID [--region R] NAME...
                                            the same in another account (moto keeps accounts apart
                                            by the keys of a role assumed into them); prints those
                                            keys as JSON, for a profile to use
  sandbox.py seed-logs --url URL --group NAME --runs N
                                            N invocations' log lines (START, a line, END, REPORT;
                                            every tenth run logs an error) in the last hour, for
                                            the log explorer's benchmark

A state directory holds the server's `url`, `port`, `pid` and `moto.log`, so scripts and tests can
run several sandboxes side by side. Run it with the virtualenv's Python (`make` does).
"""

import argparse
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
SEED_ROLE = "lambdesk-sandbox-seed-role"
SEED_CODE = """def lambda_handler(event, context):
    print("value1 = " + str(event.get("key1")))
    return "Hello World"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        # moto's small configuration; its data page lists every resource and can take seconds.
        with urllib.request.urlopen(f"{url}/moto-api/config", timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def post_json(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(state: Path) -> tuple[int, str] | None:
    try:
        return int((state / "pid").read_text()), (state / "url").read_text().strip()
    except (FileNotFoundError, ValueError):
        return None


def start(state: Path, port: int | None) -> int:
    state.mkdir(parents=True, exist_ok=True)
    running = read_state(state)
    if running and alive(running[0]) and answers(running[1]):
        print(running[1])
        return 0

    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    if answers(url):
        print(f"sandbox: something already answers at {url}; stop it or pick another port",
              file=sys.stderr)
        return 1
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    with open(state / "moto.log", "ab") as log:
        server = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("sandbox_server.py")), "-H", "127.0.0.1",
             "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not answers(url):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            print(f"sandbox: moto did not start on {url}; see {state / 'moto.log'}",
                  file=sys.stderr)
            return 1
        time.sleep(0.1)
    # Lambda must run without Docker, and the switch must come before any function exists.
    post_json(f"{url}/moto-api/config", {"lambda": {"use_docker": False}})
    (state / "pid").write_text(str(server.pid))
    (state / "port").write_text(str(port))
    (state / "url").write_text(url)
    print(url)
    return 0


def stop(state: Path) -> int:
    running = read_state(state)
    if running is None:
        return 0
    pid, _ = running
    if alive(pid):
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while alive(pid) and time.monotonic() < deadline:
            reap(pid)
            time.sleep(0.05)
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)
    for name in ("pid", "port", "url"):
        (state / name).unlink(missing_ok=True)
    return 0


def reap(pid: int) -> None:
    """Collects the exit status when the server is our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def seed(url: str, names: list[str], account: str | None, region: str,
         blueprint: Path | None = None) -> int:
    import boto3

    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    keys = None
    if account:
        credentials = session.client("sts", endpoint_url=url).assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/lambdesk-sandbox-account",
            RoleSessionName="lambdesk-sandbox",
        )["Credentials"]
        keys = {
            "accessKeyId": credentials["AccessKeyId"],
            "secretAccessKey": credentials["SecretAccessKey"],
            "sessionToken": credentials["SessionToken"],
        }
        session = boto3.Session(
            aws_access_key_id=keys["accessKeyId"],
            aws_secret_access_key=keys["secretAccessKey"],
            aws_session_token=keys["sessionToken"],
            region_name=region,
        )
    iam = session.client("iam", endpoint_url=url)
    lambda_client = session.client("lambda", endpoint_url=url)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }
    try:
        iam.create_role(RoleName=SEED_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass  # seeded before, or by another seed running at the same time
    role_arn = iam.get_role(RoleName=SEED_ROLE)["Role"]["Arn"]
    package = io.BytesIO()
    runtime, handler = "python3.12", "lambda_function.lambda_handler"
    with zipfile.ZipFile(package, "w") as archive:
        if blueprint is None:
            archive.writestr("lambda_function.py", SEED_CODE)
        else:
            manifest = tomllib.loads((blueprint / "manifest.toml").read_text())
            runtime, handler = manifest["runtime"], manifest["handler"]
            for file in sorted(blueprint.iterdir()):
                if file.name not in ("manifest.toml", "event.json"):
                    archive.write(file, file.name)
    existing = {f["FunctionName"] for f in lambda_client.list_functions()["Functions"]}
    for name in names:
        if name in existing:
            continue
        lambda_client.create_function(
            FunctionName=name,
            Runtime=runtime,
            Role=role_arn,
            Handler=handler,
            Code={"ZipFile": package.getvalue()},
            Description="Seeded by the Lambdesk sandbox script",
        )
        print(f"seeded {name}", file=sys.stderr)
    if keys:
        print(json.dumps(keys))
    return 0


LOG_BATCH = 5_000  # PutLogEvents takes 10,000 events or 1 MB at most


def seed_logs(url: str, group: str, runs: int) -> int:
    import uuid

    import boto3

    logs = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("logs", endpoint_url=url)
    stream = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}"
    try:
        logs.create_log_group(logGroupName=group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    start_ms = int(time.time() * 1000) - 3_600_000
    events = []
    for run in range(runs):
        request_id = str(uuid.UUID(int=run, version=4))
        message = "[ERROR] KeyError: 'name'" if run % 10 == 0 else f"Received GET /orders/{run}"
        for text in (
            f"START RequestId: {request_id} Version: $LATEST",
            message,
            f"END RequestId: {request_id}",
            f"REPORT RequestId: {request_id}\tDuration: 1.52 ms\tBilled Duration: 2 ms\t"
            "Memory Size: 128 MB\tMax Memory Used: 40 MB",
        ):
            events.append({"timestamp": start_ms + len(events) // 100, "message": text})
    for first in range(0, len(events), LOG_BATCH):
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=events[first:first + LOG_BATCH])
    print(f"seeded {len(events)} lines in {group}", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start_cmd = commands.add_parser("start")
    start_cmd.add_argument("--state", type=Path, required=True)
    start_cmd.add_argument("--port", type=int)
    stop_cmd = commands.add_parser("stop")
    stop_cmd.add_argument("--state", type=Path, required=True)
    seed_cmd = commands.add_parser("seed")
    seed_cmd.add_argument("--url", required=True)
    seed_cmd.add_argument("--account", help="a 12-digit account id other than the default one")
    seed_cmd.add_argument("--region", default="us-east-1")
    seed_cmd.add_argument("--blueprint", type=Path, help="a blueprint folder to take the code from")
    seed_cmd.add_argument("names", nargs="+")
    logs_cmd = commands.add_parser("seed-logs")
    logs_cmd.add_argument("--url", required=True)
    logs_cmd.add_argument("--group", required=True)
    logs_cmd.add_argument("--runs", type=int, required=True)
    args = parser.parse_args()
    if args.command == "start":
        return start(args.state, args.port)
    if args.command == "stop":
        return stop(args.state)
    if args.command == "seed-logs":
        return seed_logs(args.url, args.group, args.runs)
    return seed(args.url, args.names, args.account, args.region, args.blueprint)


if __name__ == "__main__":
    sys.exit(main())
