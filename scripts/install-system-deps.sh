#!/usr/bin/env bash
# Installs the Debian packages reelforge needs, only if something is missing (idempotent).
set -euo pipefail

# chromium: the headless browser of the dashboard's end-to-end test (driven by Playwright).
# postgresql: the real server the ledger and budget tests start on 127.0.0.1 (initdb + pg_ctl).
packages=(ffmpeg espeak-ng libespeak-ng1 fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-symbola chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
