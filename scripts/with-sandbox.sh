#!/usr/bin/env bash
# Runs a command with a fresh sandbox of its own, whose URL is in LAMBDESK_TEST_SANDBOX_URL, and
# stops the sandbox afterwards, whatever the command's outcome.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=$(mktemp -d)
python=$root/.venv/bin/python
trap '"$python" "$root/scripts/sandbox.py" stop --state "$state"; rm -rf "$state"' EXIT
LAMBDESK_TEST_SANDBOX_URL=$("$python" "$root/scripts/sandbox.py" start --state "$state")
export LAMBDESK_TEST_SANDBOX_URL
"$@"
