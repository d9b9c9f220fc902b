//! The `aws` CLI command each step stands for, quoted for a POSIX shell, one option per line.

use super::CliTarget;

/// A command being built: `aws <service> <operation>` and its options in order.
pub struct Command {
    head: String,
    options: Vec<String>,
    /// The shell variable the command's `--query` answer is kept in.
    capture: Option<String>,
}

impl Command {
    pub fn new(service: &str, operation: &str) -> Self {
        Self {
            head: format!("aws {service} {operation}"),
            options: Vec::new(),
            capture: None,
        }
    }

    /// Words that go straight after the operation, such as `s3 cp`'s source and destination.
    pub fn positional(mut self, value: &str) -> Self {
        self.head.push(' ');
        self.head.push_str(&quote(value));
        self
    }

    pub fn option(mut self, name: &str, value: &str) -> Self {
        self.options.push(format!("--{name} {}", quote(value)));
        self
    }

    /// An option whose value may name a shell variable an earlier command set, such as
    /// `${API_ID}`: double-quoted so the shell expands it and nothing else.
    pub fn option_expanding(mut self, name: &str, value: &str) -> Self {
        if value.contains("${") {
            let escaped = value
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('`', "\\`");
            self.options.push(format!("--{name} \"{escaped}\""));
            self
        } else {
            self.option(name, value)
        }
    }

    /// Keeps the id AWS assigns in a shell variable, for the commands after it: `--query` picks
    /// it out of the answer.
    pub fn capture(mut self, variable: &str, query: &str) -> Self {
        self = self.option("query", query).option("output", "text");
        self.capture = Some(variable.to_owned());
        self
    }

    /// An option that takes no value, such as `--enabled`.
    pub fn flag(mut self, name: &str) -> Self {
        self.options.push(format!("--{name}"));
        self
    }

    pub fn option_if(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.option(name, value),
            None => self,
        }
    }

    /// Every command takes `--region`, IAM's too: IAM is global, but the CLI refuses to run any
    /// command without a region when the profile names none. The emulator's endpoint comes last.
    pub fn target(self, target: &CliTarget) -> Self {
        self.option("region", &target.region)
            .option_if("endpoint-url", target.endpoint_url.as_deref())
    }

    pub fn render(&self) -> String {
        let mut text = self.head.clone();
        for option in &self.options {
            text.push_str(" \\\n  ");
            text.push_str(option);
        }
        match &self.capture {
            Some(variable) => format!("{variable}=$({text})"),
            None => text,
        }
    }
}

/// Quotes a word for a POSIX shell only when it needs it: single quotes, with `'` written as
/// `'\''`, so JSON stays readable.
pub fn quote(value: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,/:=@+%".contains(c);
    if !value.is_empty() && !value.starts_with('=') && value.chars().all(plain) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}
