-- Takes a request's units from every bucket of its scopes at once, or from none.
-- KEYS: the n buckets, then the pause keys of its scopes (a provider that said it has nothing left).
-- ARGV: n, then capacity and units of each bucket.
-- Returns {0, 0} when taken; else {ms until there is room, the short bucket's index (0: a pause)}.
local now = now_ms()
local n = tonumber(ARGV[1])
local wait, tightest = 0, 0
for i = n + 1, #KEYS do
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl > wait then wait, tightest = ttl, 0 end
end
local levels = {}
for i = 1, n do
  local capacity, units = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  levels[i] = level(KEYS[i], capacity, now)
  if levels[i] < units then
    local w = math.ceil((units - levels[i]) * 60000 / capacity)
    if w > wait then wait, tightest = w, i end
  end
end
if wait > 0 then return {wait, tightest} end
for i = 1, n do
  local capacity, units = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  store(KEYS[i], levels[i] - units, capacity, now)
end
return {0, 0}
