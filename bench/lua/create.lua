-- POST /api/v1/work-orders: a maintenance order (needs no customer); title/priority vary.
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
report.auth()
wrk.headers["Content-Type"] = "application/json"

local titles = {"主轴异响", "冷却液泄漏", "伺服报警 AL.401", "换刀卡刀", "导轨润滑不足",
                "液压站压力低", "X 轴定位偏差", "季度保养"}
local priorities = {"normal", "normal", "normal", "high", "low", "urgent"}
local bodies = {}
for i = 1, #titles do
  bodies[i] = string.format('{"type":"maintenance","title":"%s","priority":"%s"}',
                            titles[i], priorities[(i % #priorities) + 1])
end
local n = 0

request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/work-orders", nil, bodies[(n % #bodies) + 1])
end

done = report.make_done()
