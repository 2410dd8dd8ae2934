-- Adds what a call cost to its budgets, in place of what it held there, and tells which level each
-- one crossed so that exactly one instance raises the alert. KEYS: the budgets. ARGV: per budget
-- the amount, the limit and the amount the call held (0 for none): one step, so a request that
-- follows never finds neither the hold nor the cost.
-- Returns per budget two entries: the level newly crossed (1 warning, 2 critical, 3 exhausted), 0
-- for none, -1 for a budget with no spending yet (it is loaded from the ledger instead); and the
-- spending now, as text.
local out = {}
for i = 1, #KEYS do
  out[2 * i] = '0'
  if redis.call('HEXISTS', KEYS[i], 'used') == 0 then
    out[2 * i - 1] = -1
  else
    local limit = tonumber(ARGV[3 * i - 1])
    local used = tonumber(redis.call('HINCRBYFLOAT', KEYS[i], 'used', ARGV[3 * i - 2]))
    if tonumber(ARGV[3 * i]) > 0 then
      local left = tonumber(redis.call('HINCRBYFLOAT', KEYS[i], 'reserved', -tonumber(ARGV[3 * i])))
      if left < 1e-9 then redis.call('HSET', KEYS[i], 'reserved', '0') end
    end
    out[2 * i] = tostring(used)
    local remaining = limit - used
    local level = 0
    if remaining <= 0 then level = 3 elseif remaining <= limit * 0.10 then level = 2
    elseif remaining <= limit * 0.30 then level = 1 end
    local alerted = tonumber(redis.call('HGET', KEYS[i], 'alerted') or '0')
    if level > alerted then
      redis.call('HSET', KEYS[i], 'alerted', level)
      out[2 * i - 1] = level
    else
      out[2 * i - 1] = 0
    end
  end
end
return out
