//! The `aws` CLI command each step stands for, quoted for a POSIX shell, one option per line.

use super::CliTarget;

/// A command being built: `aws <service> <operation>` and its options in order.
pub struct Command {
    head: String,
    options: Vec<String>,
}

impl Command {
    pub fn new(service: &str, operation: &str) -> Self {
        Self {
            head: format!("aws {service} {operation}"),
            options: Vec::new(),
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

    pub fn option_if(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.option(name, value),
            None => self,
        }
    }

    /// Regional services take `--region`; every command takes the emulator's endpoint if any.
    pub fn target(mut self, target: &CliTarget, regional: bool) -> Self {
        if regional {
            self = self.option("region", &target.region);
        }
        self.option_if("endpoint-url", target.endpoint_url.as_deref())
    }

    pub fn render(&self) -> String {
        let mut text = self.head.clone();
        for option in &self.options {
            text.push_str(" \\\n  ");
            text.push_str(option);
        }
        text
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
