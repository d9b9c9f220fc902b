#!/usr/bin/env bash
# Checks the toolchain `make run` and `make test` need before anything is built: Node.js 20.19 or
# newer (Vite and SvelteKit need it) and the Rust the workspace declares (`rust-version`). Says what
# is found, what is needed and how to get it, instead of a cryptic failure minutes later.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node_needed=20.19.0
rust_needed=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")

# True when version $1 is at least $2 (dotted numbers).
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

problems=0
if ! command -v node >/dev/null; then
  echo "check-toolchain: Node.js is not installed; Lambdesk needs $node_needed or newer." >&2
  echo "  Get it from https://nodejs.org or your package manager (Debian: NodeSource's nodejs 20 or 22)." >&2
  problems=1
else
  node_found=$(node --version | sed 's/^v//')
  if ! at_least "$node_found" "$node_needed"; then
    echo "check-toolchain: Node.js $node_found is too old; Lambdesk needs $node_needed or newer." >&2
    echo "  Update it from https://nodejs.org, or with nvm: nvm install 22 && nvm use 22" >&2
    problems=1
  fi
fi
if ! command -v rustc >/dev/null; then
  echo "check-toolchain: Rust is not installed; Lambdesk needs $rust_needed or newer." >&2
  echo "  Install it with rustup: https://rustup.rs" >&2
  problems=1
else
  rust_found=$(rustc --version | awk '{print $2}')
  if ! at_least "$rust_found" "$rust_needed"; then
    echo "check-toolchain: Rust $rust_found is too old; the workspace needs $rust_needed or newer (rust-version in Cargo.toml)." >&2
    echo "  Update it with: rustup update stable" >&2
    problems=1
  fi
fi
exit $problems
