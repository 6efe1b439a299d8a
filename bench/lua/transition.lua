-- POST /api/v1/work-orders/{id}/transitions {"action": BENCH_ACTION (default dispatch)}
-- over a pool of ids read from BENCH_IDS_FILE (one per line). Every id is used once, so
-- every request is a real, successful transition; with several wrk threads the pool is
-- split between them (set BENCH_THREADS to wrk's -t). If the pool runs dry the thread stops and "exhausted" is reported.
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
report.auth()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local ids = {}
local idx = 0
local body
exhausted = 0

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local k = 0
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do
    if line ~= "" then
      if k % nthreads == (tid or 0) then ids[#ids + 1] = line end
      k = k + 1
    end
  end
  local action = os.getenv("BENCH_ACTION") or "dispatch"
  body = string.format('{"action":"%s"}', action)
end

request = function()
  idx = idx + 1
  local id = ids[idx]
  if id == nil then
    -- pool dry: stop this thread; the request below (if sent at all) fails with 404 and
    -- is counted as non-2xx, and the harness sees exhausted > 0 and discards the run
    exhausted = 1
    wrk.thread:stop()
    id = "0"
  end
  return wrk.format("POST", "/api/v1/work-orders/" .. id .. "/transitions", nil, body)
end

done = report.make_done(function(summary)
  local ex = 0
  for _, t in ipairs(threads) do
    ex = ex + (t:get("exhausted") or 0)
  end
  return {exhausted = ex}
end)
