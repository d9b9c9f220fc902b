#!/usr/bin/env bash
# `make bench`: the release binary's and the .deb's size (from `make package`), and the resident
# memory of the app with its WebKit processes while it shows a sandbox's function list. Prints
# figures and writes target/bench/release.json; asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=$root/.venv/bin/python
settle_seconds=${SETTLE_SECONDS:-5}

binary=$root/target/release/lambdesk
deb=$(ls "$root"/target/release/bundle/deb/*.deb)
echo "release binary: $(stat -c %s "$binary") bytes; .deb: $(stat -c %s "$deb") bytes"

work=$(mktemp -d)
app_pid=
xvfb_pid=
cleanup() {
  for pid in $app_pid $xvfb_pid; do kill "$pid" 2>/dev/null || true; done
  "$python" "$root/scripts/sandbox.py" stop --state "$work/sandbox"
  rm -rf "$work"
}
trap cleanup EXIT
# How often the sandbox was asked for the function list: how the script sees the list on screen.
list_requests() { grep -c "GET /2015-03-31/functions" "$work/sandbox/moto.log" || true; }
url=$("$python" "$root/scripts/sandbox.py" start --state "$work/sandbox")
"$python" "$root/scripts/sandbox.py" seed --url "$url" hello-world orders-api >/dev/null
seeding_requests=$(list_requests)

# An X server of our own (not xvfb-run), so both it and the app are ours to stop.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
xvfb_pid=$!
until [ -s "$work/display" ]; do sleep 0.1; done
DISPLAY=:$(cat "$work/display") LAMBDESK_SANDBOX_URL=$url XDG_CONFIG_HOME=$work/config \
  XDG_DATA_HOME=$work/data "$binary" &
app_pid=$!
# An exited app stays a zombie until reaped, and `kill -0` still succeeds on it.
app_running() {
  local state
  state=$(ps -o stat= -p "$app_pid" 2>/dev/null) && [[ $state != Z* ]]
}
# The list is on screen once the app has listed the functions. The seeding above listed them too,
# so only requests after it count.
deadline=$((SECONDS + 60))
until [ "$(list_requests)" -gt "$seeding_requests" ]; do
  if ! app_running || [ "$SECONDS" -ge "$deadline" ]; then
    echo "measure: the app did not list the functions within 60 s" >&2
    exit 1
  fi
  sleep 0.2
done
sleep "$settle_seconds"

"$python" - "$app_pid" "$binary" "$deb" "$root/target/bench/release.json" <<'PY'
import json, os, sys

def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except OSError:
                pass
    return found

def tree(pid):
    pids = [pid]
    for child in children(pid):
        pids += tree(child)
    return pids

def kib(pid, file, key):
    with open(f"/proc/{pid}/{file}") as source:
        for line in source:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

rss_total = pss_total = 0
for pid in tree(int(sys.argv[1])):
    name = open(f"/proc/{pid}/comm").read().strip()
    rss, pss = kib(pid, "status", "VmRSS"), kib(pid, "smaps_rollup", "Pss")
    rss_total += rss
    pss_total += pss
    print(f"  {name:<22} RSS {rss / 1024:6.1f} MiB  PSS {pss / 1024:6.1f} MiB")
print(f"app + WebKit: RSS {rss_total / 1024:.1f} MiB, PSS {pss_total / 1024:.1f} MiB")
binary, deb, report = sys.argv[2:5]
os.makedirs(os.path.dirname(report), exist_ok=True)
with open(report, "w") as out:
    json.dump({"binaryBytes": os.path.getsize(binary), "debBytes": os.path.getsize(deb),
               "functionListPssKiB": pss_total, "functionListRssKiB": rss_total}, out, indent=2)
PY
