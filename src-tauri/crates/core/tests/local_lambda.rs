//! The local Lambda with the machine's real `python3`, `node` and a shell bootstrap driving the
//! Runtime API with `curl`: answers, logs, errors, timeouts, the environment and warm starts.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lambdesk_core::blueprints::blueprint;
use lambdesk_core::local::{LocalFunction, LocalLambda, LocalRun, Outcome};
use lambdesk_core::package::zip_blueprint;
use serde_json::Value;

struct Lab {
    dir: PathBuf,
    local: LocalLambda,
}

impl Lab {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(common::unique_name("lambdesk-local"));
        std::fs::create_dir_all(&dir).unwrap();
        let local = LocalLambda::new(&dir);
        Self { dir, local }
    }

    /// A function whose package holds these files (`name`, text, executable).
    fn function(
        &self,
        runtime: &str,
        handler: &str,
        files: &[(&str, &str, bool)],
    ) -> LocalFunction {
        let sha = self.local.code().keep_bytes(&package(files)).unwrap();
        LocalFunction {
            name: "local-test".to_owned(),
            arn: format!(
                "arn:aws:lambda:us-east-1:123456789012:function:{}",
                common::unique_name("local-test")
            ),
            version: "$LATEST".to_owned(),
            region: "us-east-1".to_owned(),
            runtime: runtime.to_owned(),
            handler: handler.to_owned(),
            memory_mb: 128,
            timeout_seconds: 3,
            environment: BTreeMap::new(),
            code_sha256: sha,
            aws_endpoint: None,
        }
    }

    async fn run(&self, function: &LocalFunction, event: &str) -> LocalRun {
        self.local
            .run(function, event.as_bytes())
            .await
            .expect("the local Lambda runs the function")
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn package(files: &[(&str, &str, bool)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text, executable) in files {
        let mode = if *executable { 0o755 } else { 0o644 };
        writer
            .start_file(
                *name,
                zip::write::SimpleFileOptions::default().unix_permissions(mode),
            )
            .unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn returned(run: &LocalRun) -> Value {
    match &run.outcome {
        Outcome::Returned(body) => serde_json::from_slice(body).unwrap(),
        Outcome::Failed { body, .. } => panic!(
            "the function failed: {}\nlog:\n{}",
            String::from_utf8_lossy(body),
            run.log_text()
        ),
    }
}

fn failed(run: &LocalRun) -> (String, Value) {
    match &run.outcome {
        Outcome::Failed { error_type, body } => {
            (error_type.clone(), serde_json::from_slice(body).unwrap())
        }
        Outcome::Returned(body) => panic!(
            "the function answered {}\nlog:\n{}",
            String::from_utf8_lossy(body),
            run.log_text()
        ),
    }
}

const HELLO_EVENT: &str = r#"{"key1":"value1","key2":"value2","key3":"value3"}"#;

#[tokio::test]
async fn the_hello_world_blueprint_prints_the_three_values_and_returns_hello_world() {
    let lab = Lab::new();
    let hello = blueprint("hello-world-python").unwrap();
    let zip = lab.dir.join("hello.zip");
    zip_blueprint(hello, &zip).unwrap();
    let sha = lab.local.code().keep(&zip).unwrap();
    let function = LocalFunction {
        runtime: hello.runtime.clone(),
        handler: hello.handler.clone(),
        code_sha256: sha,
        ..lab.function("python3.12", "unused.handler", &[])
    };

    let run = lab.run(&function, HELLO_EVENT).await;

    assert_eq!(returned(&run), Value::from("Hello World"));
    let log = run.log_text();
    for value in ["value1 = value1", "value2 = value2", "value3 = value3"] {
        assert!(log.contains(value), "{value} missing from the log:\n{log}");
    }
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("START RequestId: "))
        .unwrap();
    assert!(
        lines[..start].contains(&"Loading function"),
        "the module's init output comes before START:\n{log}"
    );
    assert_eq!(
        lines[start],
        format!("START RequestId: {} Version: $LATEST", run.request_id)
    );
    assert_eq!(
        lines[lines.len() - 2],
        format!("END RequestId: {}", run.request_id)
    );
    let report = lines[lines.len() - 1];
    for field in [
        "Duration: ",
        "Billed Duration: ",
        "Memory Size: 128 MB",
        "Max Memory Used: ",
        "Init Duration: ",
    ] {
        assert!(report.contains(field), "{field} missing from {report}");
    }
    let used = run
        .report
        .max_memory_used_mb
        .expect("memory is measured on Linux");
    assert!((1..128).contains(&used), "{used} MB");
    assert!(run.report.init_duration_ms.unwrap() > 0.0);
    assert!(run.report.billed_duration_ms as f64 >= run.report.duration_ms);
    assert_eq!(run.log_group, "/aws/lambda/local-test");
    let stream = regex_like_stream(&run.log_stream);
    assert!(stream, "stream name {}", run.log_stream);
}

/// `YYYY/MM/DD/[$LATEST]` and 32 hex digits.
fn regex_like_stream(name: &str) -> bool {
    let Some((date, rest)) = name.split_once("/[$LATEST]") else {
        return false;
    };
    date.len() == 10
        && date.split('/').map(str::len).collect::<Vec<_>>() == [4, 2, 2]
        && rest.len() == 32
        && rest.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn a_second_invoke_is_warm_and_new_code_or_settings_start_cold() {
    let lab = Lab::new();
    let code = "import os\nCOUNT = 0\ndef handler(event, context):\n    global COUNT\n    COUNT += 1\n    return {'count': COUNT, 'pid': os.getpid()}\n";
    let function = lab.function("python3.11", "app.handler", &[("app.py", code, false)]);

    let first = lab.run(&function, "{}").await;
    let second = lab.run(&function, "{}").await;
    assert_eq!(returned(&first)["count"], 1);
    assert_eq!(returned(&second)["count"], 2, "the module stayed loaded");
    assert_eq!(returned(&first)["pid"], returned(&second)["pid"]);
    assert!(first.report.init_duration_ms.is_some());
    assert_eq!(
        second.report.init_duration_ms,
        None,
        "{}",
        second.log_text()
    );
    assert!(!second.log_text().contains("Init Duration"));
    assert_eq!(first.log_stream, second.log_stream);

    let changed_code = LocalFunction {
        code_sha256: lab
            .function(
                "python3.11",
                "app.handler",
                &[("app.py", &format!("{code}\n# v2\n"), false)],
            )
            .code_sha256,
        ..function.clone()
    };
    let third = lab.run(&changed_code, "{}").await;
    assert_eq!(
        returned(&third)["count"],
        1,
        "new code starts a fresh process"
    );
    assert!(third.report.init_duration_ms.is_some());
    assert_ne!(third.log_stream, second.log_stream);

    let more_memory = LocalFunction {
        memory_mb: 256,
        ..changed_code.clone()
    };
    let fourth = lab.run(&more_memory, "{}").await;
    assert_eq!(
        returned(&fourth)["count"],
        1,
        "changed settings start a fresh process"
    );
    assert!(fourth.log_text().contains("Memory Size: 256 MB"));
}

#[tokio::test]
async fn an_exception_comes_back_with_its_type_message_and_stack() {
    let lab = Lab::new();
    let code = "def handler(event, context):\n    return helper(event)\n\ndef helper(event):\n    raise ValueError('no key ' + event['missing'])\n";
    let function = lab.function("python3.11", "app.handler", &[("app.py", code, false)]);

    let run = lab.run(&function, r#"{"missing":"key9"}"#).await;

    let (error_type, body) = failed(&run);
    assert_eq!(error_type, "ValueError");
    assert_eq!(body["errorType"], "ValueError");
    assert_eq!(body["errorMessage"], "no key key9");
    let stack: Vec<&str> = body["stackTrace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|frame| frame.as_str().unwrap())
        .collect();
    assert_eq!(stack.len(), 2, "only the function's own frames: {stack:?}");
    assert!(
        stack[1].contains("app.py\", line 5, in helper"),
        "{stack:?}"
    );
    assert!(run.log_text().contains("[ERROR] ValueError: no key key9"));

    let after = lab.run(&function, r#"{"missing":"again"}"#).await;
    assert_eq!(failed(&after).1["errorMessage"], "no key again");
    assert_eq!(
        after.report.init_duration_ms, None,
        "a handled failure keeps it warm"
    );
}

#[tokio::test]
async fn a_sleep_past_the_timeout_is_killed_at_the_limit() {
    let lab = Lab::new();
    let code = "import time\ndef handler(event, context):\n    print('going to sleep')\n    time.sleep(30)\n    return 'woke'\n";
    let function = LocalFunction {
        timeout_seconds: 1,
        ..lab.function("python3.11", "app.handler", &[("app.py", code, false)])
    };

    let began = Instant::now();
    let run = lab.run(&function, "{}").await;
    let took = began.elapsed();

    let (error_type, body) = failed(&run);
    assert_eq!(error_type, "Sandbox.Timedout");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("Task timed out after 1.00 seconds"),
        "{message}"
    );
    assert!(
        took < Duration::from_secs(10),
        "killed at the limit, took {took:?}"
    );
    assert!(run.report.duration_ms >= 1000.0);
    let log = run.log_text();
    assert!(log.contains("going to sleep"), "{log}");
    assert!(
        log.contains(&format!(
            "{} Task timed out after 1.00 seconds",
            run.request_id
        )),
        "{log}"
    );

    let next = lab.run(&function, "{}").await;
    assert!(
        next.report.init_duration_ms.is_some(),
        "the killed process is replaced"
    );
}

#[tokio::test]
async fn the_function_sees_lambdas_environment_and_its_own_variables() {
    let lab = Lab::new();
    let code = r#"import os
def handler(event, context):
    names = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
             'AWS_REGION', '_HANDLER', 'LAMBDA_TASK_ROOT', 'AWS_LAMBDA_RUNTIME_API',
             'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'TZ', 'GREETING', 'HOME']
    return {
        'env': {name: os.environ.get(name) for name in names},
        'cwd': os.getcwd(),
        'context': {
            'aws_request_id': context.aws_request_id,
            'function_name': context.function_name,
            'function_version': context.function_version,
            'invoked_function_arn': context.invoked_function_arn,
            'memory_limit_in_mb': context.memory_limit_in_mb,
            'log_group_name': context.log_group_name,
            'log_stream_name': context.log_stream_name,
            'remaining': context.get_remaining_time_in_millis(),
        },
    }
"#;
    let function = LocalFunction {
        environment: BTreeMap::from([("GREETING".to_owned(), "hello there".to_owned())]),
        timeout_seconds: 7,
        ..lab.function("python3.11", "app.handler", &[("app.py", code, false)])
    };

    let run = lab.run(&function, "{}").await;
    let answer = returned(&run);
    let env = &answer["env"];

    assert_eq!(env["AWS_LAMBDA_FUNCTION_NAME"], "local-test");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
    assert_eq!(env["AWS_REGION"], "us-east-1");
    assert_eq!(env["_HANDLER"], "app.handler");
    assert_eq!(env["TZ"], ":UTC");
    assert_eq!(env["GREETING"], "hello there");
    assert_eq!(
        env["HOME"],
        Value::Null,
        "nothing of the user's environment leaks in"
    );
    assert_eq!(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/local-test");
    assert_eq!(env["AWS_LAMBDA_LOG_STREAM_NAME"], run.log_stream.as_str());
    assert!(
        env["AWS_LAMBDA_RUNTIME_API"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert_eq!(env["LAMBDA_TASK_ROOT"], answer["cwd"]);
    let context = &answer["context"];
    assert_eq!(context["aws_request_id"], run.request_id.as_str());
    assert_eq!(context["function_name"], "local-test");
    assert_eq!(context["function_version"], "$LATEST");
    assert_eq!(context["invoked_function_arn"], function.arn.as_str());
    assert_eq!(context["memory_limit_in_mb"], "128");
    assert_eq!(context["log_stream_name"], run.log_stream.as_str());
    let remaining = context["remaining"].as_i64().unwrap();
    assert!(
        (5_000..=7_000).contains(&remaining),
        "{remaining} ms left of 7 s"
    );
}

#[tokio::test]
async fn a_missing_module_or_function_is_an_init_error_naming_file_and_function() {
    let lab = Lab::new();
    let files = [(
        "lambda_function.py",
        "def lambda_handler(event, context):\n    return 1\n",
        false,
    )];

    let no_module = lab.function("python3.11", "missing_module.lambda_handler", &files);
    let run = lab.run(&no_module, "{}").await;
    let (error_type, body) = failed(&run);
    assert_eq!(error_type, "Runtime.ImportModuleError");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(message.contains("missing_module.py"), "{message}");
    assert!(
        message.contains("missing_module.lambda_handler"),
        "{message}"
    );

    let no_function = lab.function("python3.11", "lambda_function.handler", &files);
    let run = lab.run(&no_function, "{}").await;
    let (error_type, body) = failed(&run);
    assert_eq!(error_type, "Runtime.HandlerNotFound");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(message.contains("lambda_function.py"), "{message}");
    assert!(message.contains("handler"), "{message}");
    assert!(
        run.log_text().contains("START RequestId"),
        "{}",
        run.log_text()
    );

    let node_missing = lab.function("nodejs20.x", "index.handler", &[("app.js", "", false)]);
    let (error_type, body) = failed(&lab.run(&node_missing, "{}").await);
    assert_eq!(error_type, "Runtime.ImportModuleError");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("index.js") && message.contains("index.handler"),
        "{message}"
    );
}

#[tokio::test]
async fn node_runs_commonjs_es_modules_and_async_handlers() {
    let lab = Lab::new();
    let callback = lab.function(
        "nodejs20.x",
        "index.handler",
        &[(
            "index.js",
            "exports.handler = function (event, context, callback) {\n  console.log('adding', event.a, event.b);\n  callback(null, { sum: event.a + event.b, name: context.functionName });\n};\n",
            false,
        )],
    );
    let run = lab.run(&callback, r#"{"a":2,"b":3}"#).await;
    assert_eq!(
        returned(&run),
        serde_json::json!({"sum": 5, "name": "local-test"})
    );
    let log = run.log_text();
    assert!(
        log.contains(&format!("\t{}\tINFO\tadding 2 3", run.request_id)),
        "console lines carry the request id:\n{log}"
    );

    let mjs = lab.function(
        "nodejs20.x",
        "app.handler",
        &[(
            "app.mjs",
            "export const handler = async (event, context) => ({ doubled: event.n * 2, left: context.getRemainingTimeInMillis() > 0 });\n",
            false,
        )],
    );
    assert_eq!(
        returned(&lab.run(&mjs, r#"{"n":21}"#).await),
        serde_json::json!({"doubled": 42, "left": true})
    );

    let type_module = lab.function(
        "nodejs20.x",
        "src/main.handler",
        &[
            ("package.json", r#"{"type":"module"}"#, false),
            (
                "src/main.js",
                "import { setTimeout as wait } from 'node:timers/promises';\nexport async function handler(event) {\n  await wait(20);\n  return `hello ${event.who}`;\n}\n",
                false,
            ),
        ],
    );
    assert_eq!(
        returned(&lab.run(&type_module, r#"{"who":"esm"}"#).await),
        Value::from("hello esm")
    );

    let throws = lab.function(
        "nodejs20.x",
        "index.handler",
        &[(
            "index.mjs",
            "export const handler = async () => { throw new TypeError('bad input'); };\n",
            false,
        )],
    );
    let (error_type, body) = failed(&lab.run(&throws, "{}").await);
    assert_eq!(error_type, "TypeError");
    assert_eq!(body["errorMessage"], "bad input");
    assert!(
        body["trace"][0]
            .as_str()
            .unwrap()
            .contains("TypeError: bad input")
    );
}

const CURL_BOOTSTRAP: &str = r#"#!/bin/sh
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "$api/invocation/next")
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | tr -d '\r' | cut -d' ' -f2)
  rm -f "$headers"
  echo "handling $id with $_HANDLER"
  case "$event" in
    *malformed*) body='this is not json' ;;
    *) body="{\"echo\":$event,\"handler\":\"$_HANDLER\"}" ;;
  esac
  curl -sS -o /dev/null -X POST "$api/invocation/$id/response" -d "$body"
done
"#;

#[tokio::test]
async fn a_provided_bootstrap_in_shell_drives_the_runtime_api_with_curl() {
    let lab = Lab::new();
    let function = lab.function(
        "provided.al2023",
        "function.handler",
        &[("bootstrap", CURL_BOOTSTRAP, true)],
    );

    let run = lab.run(&function, r#"{"hello":"shell"}"#).await;
    assert_eq!(
        returned(&run),
        serde_json::json!({"echo": {"hello": "shell"}, "handler": "function.handler"})
    );
    assert!(
        run.log_text().contains(&format!(
            "handling {} with function.handler",
            run.request_id
        )),
        "{}",
        run.log_text()
    );

    let malformed = lab.run(&function, r#"{"say":"malformed"}"#).await;
    let (error_type, body) = failed(&malformed);
    assert_eq!(error_type, "Runtime.InvalidResponse");
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap()
            .contains("this is not json"),
        "{body}"
    );

    let not_executable = lab.function(
        "provided.al2023",
        "function.handler",
        &[("bootstrap", CURL_BOOTSTRAP, false)],
    );
    let refused = lab
        .local
        .run(&not_executable, b"{}")
        .await
        .expect_err("a bootstrap without its executable bit cannot start");
    assert!(
        refused.message.contains("not executable"),
        "{}",
        refused.message
    );
}

#[tokio::test]
async fn a_runtime_the_machine_lacks_is_said_once_and_unsupported_ones_are_refused() {
    let lab = Lab::new();
    let files = [(
        "app.py",
        "def handler(event, context):\n    return 'ok'\n",
        false,
    )];
    let old_python = lab.function("python3.9", "app.handler", &files);

    let first = lab.run(&old_python, "{}").await;
    let notice = first.notice.clone().expect("a version mismatch is said");
    assert!(notice.contains("python3.9"), "{notice}");
    let again = LocalFunction {
        memory_mb: 512,
        ..old_python.clone()
    };
    assert_eq!(lab.run(&again, "{}").await.notice, None, "said once");

    let java = lab.function("java21", "example.Handler", &files);
    let refused = lab.local.run(&java, b"{}").await.unwrap_err();
    assert!(refused.message.contains("java21"), "{}", refused.message);

    let seven_mb = format!("\"{}\"", "x".repeat(7 * 1024 * 1024));
    let refused = lab
        .local
        .run(&old_python, seven_mb.as_bytes())
        .await
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("payload"));
}
