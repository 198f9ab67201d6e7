# Sourced by browser-test.sh and load-test.sh: indexes sample-corpus with "$binary" into a
# temp directory, starts `newsdex serve` on a free loopback port and sets `url`; the server
# is stopped and the directory removed on exit. `$1` names the caller in messages.
# Sets: work (temp directory, serve.log inside), server (pid), url.
name=$1
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
[ -n "$url" ] || { echo "$name: newsdex serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "$name: newsdex serve at $url"
