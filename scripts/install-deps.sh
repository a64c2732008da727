#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages triode needs, only those that are missing. Safe to run repeatedly.
set -euo pipefail
pkgs=(cmake make gcc pkg-config libcjson-dev libsndfile1-dev libsamplerate0-dev libcmocka-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "triode: missing packages (${missing[*]}) and no apt-get: install them with your package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "triode: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
