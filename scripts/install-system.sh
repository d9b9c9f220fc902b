#!/usr/bin/env bash
# Installs the Debian packages Lambdesk builds, runs and tests with; does nothing when all are there.
set -euo pipefail

packages=(
  # Tauri on Linux: WebKitGTK 4.1, GTK 3 and friends
  build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  # tao, Tauri's windowing layer, links libdbus
  libdbus-1-dev
  # a window without a display, and WebKit's WebDriver for the end-to-end tests
  xvfb xauth webkit2gtk-driver
  # a real Secret Service for the keyring tests
  dbus dbus-daemon gnome-keyring libsecret-tools
  # the local Lambda's tests drive the Runtime API from a shell bootstrap with curl
  curl
  # make bench zips a folder with Info-ZIP's zip, the baseline Lambdesk's zipping is measured against
  zip
)

missing=()
# Debian's own python3 needs python3-venv to make the sandbox's virtualenv; other builds carry it.
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-system: these Debian packages are missing and there is no apt-get: ${missing[*]}" >&2
  echo "install-system: see README.md for what other systems need" >&2
  exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-system: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
