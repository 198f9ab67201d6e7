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
# shellcheck source=scripts/serve-sample.sh
source scripts/serve-sample.sh browser-test

python3 scripts/browser-test.py "$url" target/browser-test.png
