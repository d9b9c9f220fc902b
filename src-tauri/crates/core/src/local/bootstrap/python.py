"""Lambdesk's Python runtime: loads the function's handler from LAMBDA_TASK_ROOT and serves the
invocations of the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API, as AWS's Python runtime does."""

import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

RUNTIME_API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
HANDLER = os.environ["_HANDLER"]


class LambdaContext:
    """What AWS hands a Python handler as its second argument."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


class HandlerError(Exception):
    """A handler that cannot be loaded, reported with the errorType AWS gives it."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def post(path, body, error_type=None):
    headers = {"Content-Type": "application/json"}
    if error_type:
        headers["Lambda-Runtime-Function-Error-Type"] = error_type
    request = urllib.request.Request(RUNTIME_API + path, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request) as response:
        response.read()


def user_frames(error):
    """The stack as AWS shows it: the function's own frames, not this bootstrap's."""
    frames = traceback.extract_tb(error.__traceback__)
    return traceback.format_list([f for f in frames if f.filename != __file__])


def report(path, error, error_type):
    stack = user_frames(error)
    print(
        f"[ERROR] {error_type}: {error}\nTraceback (most recent call last):\n{''.join(stack)}",
        file=sys.stderr,
        flush=True,
    )
    body = {"errorMessage": str(error), "errorType": error_type, "stackTrace": stack}
    post(path, json.dumps(body).encode(), error_type)


def load_handler():
    module_path, _, function_name = HANDLER.rpartition(".")
    if not module_path or not function_name:
        raise HandlerError(
            "Runtime.MalformedHandlerName",
            f"Bad handler '{HANDLER}': it must be module.function, like "
            "lambda_function.lambda_handler",
        )
    module_name = module_path.replace("/", ".")
    file_name = module_path + ".py"
    # The function's modules are found first, and none of this bootstrap's folder.
    sys.path[0] = TASK_ROOT
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name.split(".")[0] and error.name != module_name:
            raise HandlerError(
                "Runtime.ImportModuleError",
                f"Unable to import module '{module_name}': {error}",
            ) from error
        raise HandlerError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': No module named '{module_name}' "
            f"(no {file_name} in the package, for handler {HANDLER})",
        ) from error
    except SyntaxError as error:
        raise HandlerError(
            "Runtime.UserCodeSyntaxError",
            f"Syntax error in module '{module_name}': {error}",
        ) from error
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise HandlerError(
            "Runtime.HandlerNotFound",
            f"Handler '{function_name}' missing on module '{module_name}' "
            f"(no function {function_name} in {file_name})",
        )
    return handler


def serve(handler):
    while True:
        with urllib.request.urlopen(RUNTIME_API + "/invocation/next") as response:
            headers = response.headers
            request_id = headers["Lambda-Runtime-Aws-Request-Id"]
            deadline_ms = int(headers["Lambda-Runtime-Deadline-Ms"])
            function_arn = headers["Lambda-Runtime-Invoked-Function-Arn"]
            trace_id = headers.get("Lambda-Runtime-Trace-Id")
            body = response.read()
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        context = LambdaContext(request_id, deadline_ms, function_arn)
        try:
            result = handler(json.loads(body), context)
        except Exception as error:
            report(f"/invocation/{request_id}/error", error, type(error).__name__)
            continue
        try:
            answer = json.dumps(result).encode()
        except (TypeError, ValueError) as error:
            report(
                f"/invocation/{request_id}/error",
                Exception(f"Unable to marshal response: {error}"),
                "Runtime.MarshalError",
            )
            continue
        post(f"/invocation/{request_id}/response", answer)


def main():
    try:
        handler = load_handler()
    except HandlerError as error:
        report("/init/error", error, error.error_type)
        sys.exit(1)
    except Exception as error:
        report("/init/error", error, "Runtime.ImportModuleError")
        sys.exit(1)
    serve(handler)


if __name__ == "__main__":
    main()
