"""moto's server with what Lambdesk needs from it and moto lacks: function code, and the settings
moto drops.

moto keeps every function's package (`LambdaFunction.code_bytes`) but answers GetFunction with a
made-up `Code.Location` that serves nothing. Here `Code.Location` points back at this server, which
serves those bytes, as Lambda's presigned URL serves them in an account.

moto also forgets some settings Lambda keeps: a function's dead-letter target (never stored), the
ephemeral storage sent with UpdateFunctionConfiguration, and the architecture sent with
UpdateFunctionCode. Here they are kept and returned as Lambda returns them, so the function page
shows what was saved.

moto also hands a message sent to a queue with an event source mapping straight to the function,
which it would run in Docker; the sandbox has none. Here the queue keeps the message, and Lambdesk
polls the mapping and runs the function itself, as Lambda polls a queue.

moto's GetMetricData answers only Sum, Average, Minimum, Maximum and SampleCount. Here a
percentile (`p95`, `p99.9`) is answered too, by nearest rank over the period's values, as the
Monitor page's p95 duration needs.

moto's StartLiveTail looks up a group by ARN with a loop that returns the last group of the
region, whatever the ARN. Here it returns the group the ARN names, or ResourceNotFound. (Its
session still sends the group's events once and ends, where CloudWatch streams new ones; the app
follows the sandbox by polling, so only the Live Tail's own tests use it.) Run as moto's server is:

  python sandbox_server.py -H 127.0.0.1 -p PORT

With LAMBDESK_SANDBOX_EXIT_ON_EOF=1 the server exits when its standard input closes: the app that
started it holds the other end, so the sandbox ends with the app however the app ends.
"""

import math
import os
import re
import sys
import threading
import urllib.parse

from moto import server
from moto.awslambda import models
from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.utils import get_backend
from moto.cloudwatch import models as cloudwatch_models
from moto.logs import models as logs_models
from moto.logs.exceptions import ResourceNotFoundException
from moto.sqs import models as sqs_models

CODE_PATH = "/_lambdesk/lambda-code/"

original_get_code = models.LambdaFunction.get_code
original_init = models.LambdaFunction.__init__
original_get_configuration = models.LambdaFunction.get_configuration
original_update_configuration = models.LambdaFunction.update_configuration
original_update_function_code = models.LambdaFunction.update_function_code
original_add_message = sqs_models.Queue.add_message
original_statistic = cloudwatch_models.Statistics.get_statistics_for_type
PERCENTILE = re.compile(r"p(\d{1,2}(?:\.\d+)?)")


def base_url() -> str:
    return f"http://{os.environ['LAMBDESK_SANDBOX_HOST']}:{os.environ['MOTO_PORT']}"


def get_code(self: models.LambdaFunction) -> dict:
    answer = original_get_code(self)
    code = answer.get("Code")
    if code is not None and code.get("RepositoryType") == "S3":
        parts = [self.account_id, self.region, self.function_name]
        path = "/".join(urllib.parse.quote(part, safe="") for part in parts)
        query = urllib.parse.urlencode({"sha": self.code_sha_256})
        code["Location"] = f"{base_url()}{CODE_PATH}{path}?{query}"
    return answer


def init(self: models.LambdaFunction, account_id: str, spec: dict, *args, **kwargs) -> None:
    original_init(self, account_id, spec, *args, **kwargs)
    self.dead_letter_arn = (spec.get("DeadLetterConfig") or {}).get("TargetArn", "")


def get_configuration(self: models.LambdaFunction, *args, **kwargs) -> dict:
    config = original_get_configuration(self, *args, **kwargs)
    if getattr(self, "dead_letter_arn", ""):
        config["DeadLetterConfig"] = {"TargetArn": self.dead_letter_arn}
    return config


def update_configuration(self: models.LambdaFunction, updates: dict) -> dict:
    if "EphemeralStorage" in updates:
        self.ephemeral_storage = updates["EphemeralStorage"]["Size"]
    if "DeadLetterConfig" in updates:
        self.dead_letter_arn = updates["DeadLetterConfig"].get("TargetArn", "")
    return original_update_configuration(self, updates)


def update_function_code(self: models.LambdaFunction, spec: dict) -> dict:
    if spec.get("Architectures") and not spec.get("DryRun"):
        self.architectures = spec["Architectures"]
    return original_update_function_code(self, spec)


def add_message(self: sqs_models.Queue, message) -> None:
    mappings, self.lambda_event_source_mappings = self.lambda_event_source_mappings, {}
    try:
        original_add_message(self, message)
    finally:
        self.lambda_event_source_mappings = mappings


def statistic(self: cloudwatch_models.Statistics, stat: str):
    wanted = PERCENTILE.fullmatch(stat)
    values = sorted(self.metric_single_values_list)
    if not wanted or not values:
        return original_statistic(self, stat)
    rank = math.ceil(float(wanted.group(1)) / 100 * len(values))
    return values[max(rank, 1) - 1]


def find_live_tail_log_group(self: logs_models.LogsBackend, log_group_identifier: str):
    for group in self.groups.values():
        if log_group_identifier in (group.arn, group.name):
            return group
    raise ResourceNotFoundException()


def serve_code(environ: dict, start_response) -> list[bytes]:
    """GET /_lambdesk/lambda-code/ACCOUNT/REGION/NAME?sha=CODESHA256: the package, if it is still
    the code that GetFunction described."""
    parts = environ.get("PATH_INFO", "")[len(CODE_PATH):].split("/")
    wanted = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("sha", [""])[0]
    try:
        account, region, name = (urllib.parse.unquote(part) for part in parts)
        # The docker-less backend when the sandbox runs without Docker, as it does.
        function = get_backend(account, region).get_function(name)
    except (ValueError, KeyError, UnknownFunctionException):
        return answer(start_response, "404 Not Found", b"no such function")
    if function.code_sha_256 != wanted or not function.code_bytes:
        return answer(start_response, "404 Not Found", b"the function's code has changed")
    return answer(start_response, "200 OK", function.code_bytes, "application/zip")


def answer(start_response, status: str, body: bytes, kind: str = "text/plain") -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]


class Dispatcher(server.DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(CODE_PATH) and environ["REQUEST_METHOD"] == "GET":
            return serve_code(environ, start_response)
        return super().__call__(environ, start_response)


def exit_when_stdin_closes() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


def main(argv: list[str]) -> None:
    if os.environ.get("LAMBDESK_SANDBOX_EXIT_ON_EOF") == "1":
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    host = argv[argv.index("-H") + 1] if "-H" in argv else "127.0.0.1"
    os.environ["LAMBDESK_SANDBOX_HOST"] = host
    models.LambdaFunction.get_code = get_code
    models.LambdaFunction.__init__ = init
    models.LambdaFunction.get_configuration = get_configuration
    models.LambdaFunction.update_configuration = update_configuration
    models.LambdaFunction.update_function_code = update_function_code
    sqs_models.Queue.add_message = add_message
    cloudwatch_models.Statistics.get_statistics_for_type = statistic
    logs_models.LogsBackend._find_live_tail_log_group = find_live_tail_log_group
    server.DomainDispatcherApplication = Dispatcher
    server.main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
