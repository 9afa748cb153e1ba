-- udapi: one rate-limit attempt on an exact sliding log (io.udapi.limit.redis.RedisLimiter).
-- KEYS[1]  the (token, definition) key: a list of admission stamps in microseconds, newest first,
--          strictly decreasing from the head, at most ARGV[4] long (the newest admissions).
-- ARGV[1]  limit, 1..100          ARGV[2]  window in microseconds, > 0
-- ARGV[3]  now in microseconds, or '' for the server's clock (TIME): the one clock of every instance
-- ARGV[4]  how many stamps to keep (100, the largest limit, as the local ring does)
-- Reply    {1, remaining, reset_us} for an admission, {0, 0, retry_after_us} for a denial.
-- The rule is SlidingWindowLimiter's: admitted iff fewer than `limit` stamps lie in (now - window, now].
-- Numbers stay below 2^53 (microseconds since 1970 are about 1.8e15), so Lua's doubles hold them exactly.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now
if ARGV[3] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[3])
end
local threshold = now - window
local stamps = redis.call('LRANGE', KEYS[1], 0, limit - 1)
local n = #stamps
if n >= limit then
  local old = tonumber(stamps[limit])
  if old > threshold then
    -- denied; nothing is written. It becomes possible again when `old` leaves the window.
    return {0, 0, old - threshold}
  end
end
-- stamps strictly increase: an admission at the same microsecond is recorded one later (conservative)
local stamp = now
if n > 0 and tonumber(stamps[1]) >= now then
  stamp = tonumber(stamps[1]) + 1
end
-- how many of the newest limit - 1 stamps still count
local counted = 0
while counted < n and counted < limit - 1 and tonumber(stamps[counted + 1]) > threshold do
  counted = counted + 1
end
local oldest_counted = stamp
if counted > 0 then
  oldest_counted = tonumber(stamps[counted])
end
redis.call('LPUSH', KEYS[1], string.format('%.0f', stamp))
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[4]) - 1)
-- idle keys vanish once their newest stamp is a window old; never shorten a longer window's expiry
-- (the expiry runs on the server's clock: with readings of another clock, ARGV[3], keep the key an hour at least)
local keep_ms = math.ceil((stamp - now + window) / 1000)
if ARGV[3] ~= '' and keep_ms < 3600000 then
  keep_ms = 3600000
end
if redis.call('PTTL', KEYS[1]) < keep_ms then
  redis.call('PEXPIRE', KEYS[1], keep_ms)
end
return {1, limit - counted - 1, oldest_counted - threshold}
