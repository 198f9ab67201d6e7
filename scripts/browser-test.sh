#!/usr/bin/env bash
# Browser test of the web page: builds newsdex, indexes sample-corpus into a temp index,
# starts `newsdex serve` on a free loopback port and drives headless Chromium through
# chromedriver (scripts/browser-test.py, Python standard library only): search, facet
# click, article view, hostile URL. Screenshots: target/browser-test.png (and -phone.png).
# Installs Debian's chromium and chromium-driver when missing (needs root and apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "browser-test: installing chromium and chromium-driver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The artifacts of `cargo test` (run just before in CI): a plain `cargo build` would rebuild
# the dependencies without the dev-dependencies' features.
cargo test --no-run --quiet
binary=target/debug/newsdex
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
[ -n "$url" ] || { echo "browser-test: newsdex serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "browser-test: newsdex serve at $url"

python3 scripts/browser-test.py "$url" target/browser-test.png
