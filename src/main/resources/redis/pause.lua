-- A provider reported its own limit exhausted: its requests wait ARGV[1] ms, on every instance.
-- A longer pause already set is kept.
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
