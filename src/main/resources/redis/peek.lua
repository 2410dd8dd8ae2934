-- The level of each bucket now, as text (Redis would cut a number to an integer).
-- KEYS: the buckets. ARGV: the capacity of each.
local now = now_ms()
local out = {}
for i = 1, #KEYS do
  out[i] = tostring(level(KEYS[i], tonumber(ARGV[i]), now))
end
return out
