#!/usr/bin/env bash
# Install the Debian packages the project needs outside Python:
#   chromium        headless browser for the view and editor tests (driven by Playwright)
#   fonts-noto-cjk  a CJK font, so Chinese labels render in Chromium and matplotlib figures
set -euo pipefail
packages=(chromium fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
