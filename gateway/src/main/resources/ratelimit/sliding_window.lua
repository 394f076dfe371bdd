-- Sliding-window rate limit over sub-window counters, for one principal on one rule.
--
-- The window is cut into buckets (window / buckets_per_window long). A request is admitted only when the counts of
-- every bucket that overlaps the last `window` (the current bucket included) add up to less than `limit`. Every
-- request admitted in [t - window, t] sits in one of those buckets when the request at t is decided, so at most
-- `limit` requests are ever admitted in any window of that length. The price of the guarantee is that a request may
-- be refused up to one bucket longer than strictly necessary. Memory is bounded by the number of buckets, not by the
-- limit, so generous per-key limits for worker fleets cost no more than 5/min for a user.
--
-- The clock is Redis's own (TIME), so every gateway replica sees the same windows.
--
-- KEYS[1]  hash: bucket index -> admitted count (one key: safe on Redis Cluster; the caller hash-tags it)
-- ARGV[1]  limit, ARGV[2] window in ms, ARGV[3] bucket length in ms
-- Returns  { admitted (1|0), remaining, ms until the oldest counted request leaves, ms until one is admitted (0 if admitted) }
if redis.replicate_commands then
  redis.replicate_commands()
end

local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local bucket = tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = math.floor(now / bucket)
local oldest = math.floor((now - window) / bucket)

local raw = redis.call('HGETALL', key)
local buckets = {}
local used = 0
for i = 1, #raw, 2 do
  local index = tonumber(raw[i])
  if index < oldest then
    redis.call('HDEL', key, raw[i])
  else
    local count = tonumber(raw[i + 1])
    used = used + count
    buckets[#buckets + 1] = { index, count }
  end
end
table.sort(buckets, function(a, b) return a[1] < b[1] end)

-- ms until `needed` counted requests have left the window
local function freed_after(needed)
  local freed = 0
  for _, entry in ipairs(buckets) do
    freed = freed + entry[2]
    if freed >= needed then
      return (entry[1] + 1) * bucket + window - now
    end
  end
  return 0
end

if used < limit then
  redis.call('HINCRBY', key, current, 1)
  redis.call('PEXPIRE', key, window + bucket)
  local last = buckets[#buckets]
  if last ~= nil and last[1] == current then
    last[2] = last[2] + 1
  else
    buckets[#buckets + 1] = { current, 1 }
  end
  return { 1, limit - used - 1, freed_after(1), 0 }
end

return { 0, 0, freed_after(1), freed_after(used - limit + 1) }
