#!/usr/bin/env bash
# Installs the Debian packages Common Home needs when they are missing:
#   base: gettext (compiles the interface translations), Noto fonts (Arabic script in PDFs)
#   test: Debian's Chromium, for the browser tests
set -euo pipefail
want=(gettext fonts-noto-core)
[ "${1:-}" = "test" ] && want+=(chromium)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
