#!/usr/bin/env bash
# Runs a command against a real, private gnome-keyring Secret Service: its own D-Bus session, a fresh
# data directory, unlocked with a throwaway password. Nothing touches the user's own keyring.
# With --locked the keyring is left locked, and with no display its unlock prompt fails at once,
# as when a user dismisses it.
set -euo pipefail
unlock=--unlock
if [ "${1:-}" = --locked ]; then unlock=--daemonize; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [--locked] COMMAND [ARG...]" >&2; exit 2; }
export LAMBDESK_KEYRING_UNLOCK=$unlock

keyring_tmp=$(mktemp -d)
trap 'rm -rf "$keyring_tmp"' EXIT
export XDG_RUNTIME_DIR=$keyring_tmp/run XDG_DATA_HOME=$keyring_tmp/data
mkdir -p -m700 "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"
# With a display, a locked keyring would open an unlock prompt and the call would hang.
unset DISPLAY WAYLAND_DISPLAY

dbus-run-session -- sh -ec '
  printf %s throwaway | gnome-keyring-daemon $LAMBDESK_KEYRING_UNLOCK --components=secrets >/dev/null
  # A call made before the daemon owns the name would start a second, locked daemon.
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q "boolean true"; do
    tries=$((tries + 1))
    [ "$tries" -lt 200 ] || { echo "with-keyring: no Secret Service after 10 s" >&2; exit 1; }
    sleep 0.05
  done
  "$@"' sh "$@"
