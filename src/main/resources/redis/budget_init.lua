-- Sets a budget's spending for its period from the ledger. KEYS[1]: the budget's hash {used,
-- reserved, alerted}. ARGV: used (from the ledger), its level (crossed before: not alerted again),
-- when the key may go (ms), and "force": 1 overwrites what Redis counted (after an outage, during
-- which Redis missed what was spent), 0 leaves a budget another instance already set.
if ARGV[4] == '0' and redis.call('HEXISTS', KEYS[1], 'used') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'used', ARGV[1])
if redis.call('HEXISTS', KEYS[1], 'reserved') == 0 then redis.call('HSET', KEYS[1], 'reserved', '0') end
local alerted = tonumber(redis.call('HGET', KEYS[1], 'alerted') or '0')
if tonumber(ARGV[2]) > alerted then redis.call('HSET', KEYS[1], 'alerted', ARGV[2]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
