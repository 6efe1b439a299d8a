-- Baseline: GET /api/v1/health (a trivial endpoint of the same server), no auth.
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.method = "GET"
done = report.make_done()
