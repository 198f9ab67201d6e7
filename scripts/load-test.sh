#!/usr/bin/env bash
# Load check of the HTTP API: builds the release binary, indexes sample-corpus into a temp
# index, starts `newsdex serve` on a free loopback port and runs wrk against /api/search
# with five query variations (bench/wrk-search.lua). Prints requests/s, latency
# percentiles and the error count; exits non-zero on any error or non-2xx answer.
# Usage: scripts/load-test.sh [SECONDS] [CONNECTIONS]   (default 20 s, 16 connections)
# Installs Debian's wrk when missing (needs root and apt-get). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-16}

if ! command -v wrk >/dev/null; then
  echo "load-test: installing wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

cargo build --release --quiet
binary=target/release/newsdex
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$binary" index sample-corpus --index "$work/index" --quiet >/dev/null
"$binary" serve --index "$work/index" --addr 127.0.0.1:0 2>"$work/serve.log" &
server=$!
url=""
for _ in $(seq 1 200); do
  url=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | sed 's/listening on //' || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "load-test: newsdex serve did not start" >&2; exit 1; }

echo "load-test: $(nproc) cores, wrk -t2 -c$connections -d${seconds}s against $url/api/search"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/wrk-search.lua "$url" | tee "$work/wrk.txt"
result=$(grep '^RESULT ' "$work/wrk.txt")
errors=$(sed 's/.* errors=\([0-9]*\).*/\1/' <<<"$result")
if [ -s "$work/serve.log" ] && grep -v 'listening on' "$work/serve.log" >&2; then
  echo "load-test: the server logged the lines above" >&2
fi
if [ "$errors" != "0" ]; then
  echo "load-test: FAILED with $errors errors" >&2
  exit 1
fi
echo "load-test: ok, 0 errors"
