// Lambdesk's Node.js runtime: loads the function's handler (CommonJS or ES module) from
// LAMBDA_TASK_ROOT and serves the invocations of the Lambda Runtime API, as AWS's runtime does.
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerSetting = process.env._HANDLER;
const moduleExtensions = [".js", ".mjs", ".cjs"];

let currentRequestId;

// AWS writes every console line as timestamp, request id, level and message, one event per call.
for (const [method, level] of [
  ["log", "INFO"],
  ["info", "INFO"],
  ["warn", "WARN"],
  ["error", "ERROR"],
  ["debug", "DEBUG"],
  ["trace", "TRACE"],
]) {
  console[method] = (...args) => {
    const message = format(...args).replace(/\n/g, "\r");
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
  };
}

class HandlerError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

function errorBody(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// node:http rather than fetch, which older Node.js versions flag as experimental on stderr.
function request(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: apiHost, port: apiPort, method, path: `/2018-06-01/runtime${route}`, headers, agent: apiAgent },
      (incoming) => {
        const chunks = [];
        incoming.on("data", (chunk) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({ headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

async function post(route, body, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  await request("POST", route, body, headers);
}

async function report(route, error) {
  const body = errorBody(error);
  console.error("Invoke Error", JSON.stringify(body));
  await post(route, JSON.stringify(body), body.errorType);
}

async function loadHandler() {
  const dot = handlerSetting.indexOf(".", handlerSetting.lastIndexOf("/") + 1);
  if (dot <= 0 || dot === handlerSetting.length - 1) {
    throw new HandlerError(
      "Runtime.MalformedHandlerName",
      `Bad handler '${handlerSetting}': it must be file.function, like index.handler`,
    );
  }
  const modulePath = handlerSetting.slice(0, dot);
  const functionPath = handlerSetting.slice(dot + 1);
  const candidates = moduleExtensions.map((extension) => modulePath + extension);
  const file = candidates.find((candidate) => existsSync(path.join(taskRoot, candidate)));
  if (!file) {
    throw new HandlerError(
      "Runtime.ImportModuleError",
      `Error: Cannot find module '${modulePath}' (no ${candidates.join(", ")} in the package, ` +
        `for handler ${handlerSetting})`,
    );
  }
  // Node itself tells CommonJS from an ES module, by extension and by package.json "type".
  const loaded = await import(pathToFileURL(path.join(taskRoot, file)).href);
  const lookup = (root) =>
    functionPath.split(".").reduce((value, key) => (value == null ? undefined : value[key]), root);
  const handler = lookup(loaded) ?? lookup(loaded.default);
  if (typeof handler !== "function") {
    throw new HandlerError(
      "Runtime.HandlerNotFound",
      `${handlerSetting} is undefined or not exported (no function ${functionPath} in ${file})`,
    );
  }
  return handler;
}

function call(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    context.succeed = (value) => resolve(value);
    context.fail = (error) => reject(error);
    context.done = callback;
    let result;
    try {
      result = handler(event, context, callback);
    } catch (error) {
      reject(error);
      return;
    }
    if (result && typeof result.then === "function") {
      result.then(resolve, reject);
    } else if (handler.length < 3) {
      // A handler that is neither async nor takes the callback answers null, as in AWS, unless it
      // called context.succeed or context.fail first.
      setImmediate(() => resolve(null));
    }
  });
}

async function serve(handler) {
  for (;;) {
    const next = await request("GET", "/invocation/next");
    const requestId = next.headers["lambda-runtime-aws-request-id"];
    const deadlineMs = Number(next.headers["lambda-runtime-deadline-ms"]);
    const traceId = next.headers["lambda-runtime-trace-id"];
    const event = JSON.parse(next.body);
    if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
    currentRequestId = requestId;
    const context = {
      awsRequestId: requestId,
      invokedFunctionArn: next.headers["lambda-runtime-invoked-function-arn"],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    };
    let answer;
    try {
      const result = await call(handler, event, context);
      answer = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      await report(`/invocation/${requestId}/error`, error);
      continue;
    }
    await post(`/invocation/${requestId}/response`, answer);
  }
}

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  const failure =
    error instanceof HandlerError
      ? error
      : new HandlerError(
          error instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError",
          String(error),
        );
  await report("/init/error", failure);
  process.exit(1);
}
await serve(handler);
