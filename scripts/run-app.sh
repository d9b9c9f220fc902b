#!/usr/bin/env bash
# `make run`: starts a sandbox with two example functions, opens Lambdesk on it (under Xvfb when
# there is no display), and stops the sandbox when the app exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=$root/.venv/bin/python
state=$root/.sandbox/run
trap '"$python" "$root/scripts/sandbox.py" stop --state "$state"' EXIT
LAMBDESK_SANDBOX_URL=$("$python" "$root/scripts/sandbox.py" start --state "$state")
export LAMBDESK_SANDBOX_URL
"$python" "$root/scripts/sandbox.py" seed --url "$LAMBDESK_SANDBOX_URL" hello-world orders-api
echo "run-app: sandbox at $LAMBDESK_SANDBOX_URL; close the window to stop"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$root/target/debug/lambdesk"
else
  echo "run-app: no display; running under Xvfb"
  xvfb-run -a "$root/target/debug/lambdesk"
fi
