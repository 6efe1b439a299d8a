-- GET /api/v1/work-orders/{id} for ids drawn uniformly from [BENCH_ID_MIN, BENCH_ID_MAX].
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
report.auth()
local lo, hi

function init(args)
  lo = tonumber(os.getenv("BENCH_ID_MIN"))
  hi = tonumber(os.getenv("BENCH_ID_MAX"))
  math.randomseed(os.time() + (tid or 0) * 7919)
end

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

request = function()
  return wrk.format("GET", "/api/v1/work-orders/" .. math.random(lo, hi))
end

done = report.make_done()
