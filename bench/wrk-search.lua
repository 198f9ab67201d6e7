-- wrk script for scripts/load-test.sh: cycles through search variations (free text, a
-- phrase with a country filter, a wildcard with every facet, a person filter sorted by
-- date, an OR query with a bigger page) and prints one parseable summary line.
local paths = {
  "/api/search?q=talks",
  "/api/search?q=%22peace+talks%22&country=UA",
  "/api/search?q=rate*&sort=newest&facets=all",
  "/api/search?person=putin&sort=newest&facets=country,person,topic,year",
  "/api/search?q=election+OR+vote&limit=20",
}
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local total_errors = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f requests_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non_2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    total_errors, errors.status))
end
