-- Shared by every scenario script: auth header from the environment, and a done()
-- that prints one machine-readable line the harness parses:
--   BENCH_RESULT {"requests":..,"lat_p50_us":..,"lat_p99_us":..,"status_errors":..,...}
-- Usage inside a scenario: local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
local M = {}

function M.auth()
  local token = os.getenv("BENCH_TOKEN")
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

-- extra: optional function(summary) -> table of extra integer fields
function M.make_done(extra)
  return function(summary, latency, requests)
    local e = summary.errors
    local parts = {
      string.format('"requests":%d', summary.requests),
      string.format('"duration_us":%d', summary.duration),
      string.format('"bytes":%d', summary.bytes),
      string.format('"connect_errors":%d', e.connect),
      string.format('"read_errors":%d', e.read),
      string.format('"write_errors":%d', e.write),
      string.format('"status_errors":%d', e.status),
      string.format('"timeouts":%d', e.timeout),
      string.format('"lat_mean_us":%.1f', latency.mean),
      string.format('"lat_stdev_us":%.1f', latency.stdev),
      string.format('"lat_max_us":%d', latency.max),
      string.format('"lat_p50_us":%d', latency:percentile(50.0)),
      string.format('"lat_p90_us":%d', latency:percentile(90.0)),
      string.format('"lat_p99_us":%d', latency:percentile(99.0)),
      string.format('"lat_p999_us":%d', latency:percentile(99.9)),
    }
    if extra then
      for k, v in pairs(extra(summary)) do
        parts[#parts + 1] = string.format('"%s":%d', k, v)
      end
    end
    io.write("BENCH_RESULT {" .. table.concat(parts, ",") .. "}\n")
  end
end

return M
