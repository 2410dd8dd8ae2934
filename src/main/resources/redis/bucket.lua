-- Token buckets of the shared rate limits (prepended to the scripts that use them). A bucket is a
-- hash {level, at}: the units it held at `at` (ms, Redis' own clock, the same for every instance);
-- it refills continuously at `capacity` per minute up to `capacity`, and may owe (level < 0) when a
-- request cost more than its estimate. An absent bucket is full.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function level(key, capacity, now)
  local h = redis.call('HMGET', key, 'level', 'at')
  if not h[1] then return capacity end
  local l = tonumber(h[1]) + math.max(0, now - tonumber(h[2])) * capacity / 60000
  if l > capacity then return capacity end
  return l
end

-- Writes a bucket; it expires when it would be full again anyway.
local function store(key, value, capacity, now)
  redis.call('HSET', key, 'level', tostring(value), 'at', now)
  redis.call('PEXPIRE', key, math.ceil((capacity - value) * 60000 / capacity) + 1000)
end
