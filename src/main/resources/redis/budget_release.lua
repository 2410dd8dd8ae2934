-- A request's call is over: its hold goes. KEYS: the budgets. ARGV: the amount held in each.
for i = 1, #KEYS do
  if redis.call('HEXISTS', KEYS[i], 'used') == 1 then
    local left = tonumber(redis.call('HINCRBYFLOAT', KEYS[i], 'reserved', -tonumber(ARGV[i])))
    if left < 1e-9 then redis.call('HSET', KEYS[i], 'reserved', '0') end
  end
end
return 0
