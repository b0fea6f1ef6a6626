-- Print one JSON line with throughput (successful answers only), p50/p95 latency (ms) and
-- error count (connection errors, timeouts and non-2xx/3xx statuses).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"rps": %.2f, "p50": %.3f, "p95": %.3f, "errors": %d, "requests": %d}\n',
    math.max(0, summary.requests - summary.errors.status) / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors, summary.requests))
end
