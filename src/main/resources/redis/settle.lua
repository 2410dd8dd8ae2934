-- Corrects token buckets once a request's real usage is known: gives back (or takes more than)
-- the estimate it was granted. KEYS: the buckets. ARGV: capacity and correction of each.
local now = now_ms()
for i = 1, #KEYS do
  local capacity, correction = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  store(KEYS[i], math.min(capacity, level(KEYS[i], capacity, now) + correction), capacity, now)
end
return 0
