-- GET a path drawn at random from BENCH_PATHS_FILE (one path with query string per line),
-- e.g. /api/v1/work-orders?customer_id=7&limit=20 for many customers.
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
report.auth()
local paths = {}

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + (tid or 0) * 7919)
end

request = function()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

done = report.make_done()
