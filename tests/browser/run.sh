#!/usr/bin/env bash
# Starts the server on a fresh SQLite folder with the demo data, runs the
# browser journeys in Debian's headless Chromium, and stops the server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi

cargo build --quiet --bin dienhinh
data="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
export DIENHINH_DEMO_PASSWORD="matkhau-trinh-duyet"
"$target/debug/dienhinh" serve --demo --data "$data" --addr "127.0.0.1:$port" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
export DIENHINH_URL="http://127.0.0.1:$port"
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$root/screenshots}"
node "$here/journeys.mjs"
