-- Holds a request's largest possible cost in each of its budgets, unless a blocking one is spent
-- or wholly held by requests in flight. KEYS: the budgets. ARGV: per budget its limit, 1 when it
-- blocks, and the amount to hold. Returns 0 when held; i when budget i refuses; -i when budget i
-- has no spending yet (a new period, or Redis lost it): the caller loads it and asks again.
for i = 1, #KEYS do
  if redis.call('HEXISTS', KEYS[i], 'used') == 0 then return -i end
end
for i = 1, #KEYS do
  if ARGV[3 * i - 1] == '1' then
    local h = redis.call('HMGET', KEYS[i], 'used', 'reserved')
    if tonumber(h[1]) + tonumber(h[2] or '0') >= tonumber(ARGV[3 * i - 2]) then return i end
  end
end
for i = 1, #KEYS do
  redis.call('HINCRBYFLOAT', KEYS[i], 'reserved', ARGV[3 * i])
end
return 0
