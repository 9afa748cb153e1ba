-- One wrk script for every target (udapi, HAProxy, nginx), so both proxies see byte-identical traffic.
-- Environment: MODE = admit | limited | invalid | unknown; SECRET = the bearer secret; NROUTES = routes svc0..N-1.
--   admit   : POST /api/custom/svc<random i>/items/<random id>  with the admitted token (limit 100/s per route)
--   limited : POST /api/custom/limited/<random id>               with a token already over its limit (429)
--   invalid : as admit, with a fresh random 40-character secret on every request (401)
--   unknown : POST /api/custom/nope<random>/x                    with the admitted token (404)
--   mixed   : cycles admit, admit, limited, invalid, unknown (needs SECRET_LIMITED as well): for the heap soak
-- RATE = requests per second (optional; use with wrk -t1): paced open-loop-style by delay(), which schedules each
--   request on a global timetable of 1/RATE s slots (1 ms granularity; a backlog over 1 s is dropped, not bursted).
--   Without RATE, every connection sends as fast as it gets answers (closed loop).
-- done() prints one RESULT line (requests, rate, latency percentiles in microseconds).
local mode = os.getenv("MODE") or "admit"
local secret = os.getenv("SECRET") or "none"
local secret_limited = os.getenv("SECRET_LIMITED") or "none"
local rate = tonumber(os.getenv("RATE") or "0")
local counter = 0
local nroutes = tonumber(os.getenv("NROUTES") or "500")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
local body = '{"ticket":"42","note":"benchmark"}'

init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function random_secret()
  local t = {}
  for k = 1, 40 do
    local r = math.random(1, 62)
    t[k] = alphabet:sub(r, r)
  end
  return table.concat(t)
end

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } udapi_timespec;
    int clock_gettime(int clock, udapi_timespec *tp);
  ]]
  local ts = ffi.new("udapi_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1000000
  end
  local interval = 1000 / rate
  local next_at = nil
  delay = function()
    local t = now_ms()
    if next_at == nil or next_at < t - 1000 then
      next_at = t
    end
    next_at = next_at + interval
    local d = next_at - t
    return d > 0 and math.floor(d) or 0
  end
end

request = function()
  local path
  local s = secret
  local m = mode
  if mode == "mixed" then
    counter = counter + 1
    local k = counter % 5
    m = (k <= 1 and "admit") or (k == 2 and "limited") or (k == 3 and "invalid") or "unknown"
    if m == "limited" then s = secret_limited end
  end
  if m == "limited" then
    path = "/api/custom/limited/" .. math.random(1, 1000000)
  elseif m == "unknown" then
    path = "/api/custom/nope" .. math.random(1, 1000000000) .. "/x"
  else
    path = "/api/custom/svc" .. math.random(0, nroutes - 1) .. "/items/" .. math.random(1, 1000000)
    if m == "invalid" then
      s = random_secret()
    end
  end
  return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. s, ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d p999_us=%d mean_us=%.0f max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.mean, latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
