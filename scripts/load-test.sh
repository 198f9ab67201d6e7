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
# shellcheck source=scripts/serve-sample.sh
source scripts/serve-sample.sh load-test

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
