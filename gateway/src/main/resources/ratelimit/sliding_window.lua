-- Sliding-window rate limit over sub-window counters, for one principal on one rule.
--
-- The window is cut into buckets (window / buckets_per_window long). A request is admitted only when the counts of
-- every bucket that overlaps the last `window` (the current bucket included) add up to less than `limit`. Every
-- request admitted in [t - window, t] sits in one of those buckets when the request at t is decided, so at most
-- `limit` requests are ever admitted in any window of that length. The price of the guarantee is that a request may
-- be refused up to one bucket longer than strictly necessary. Memory is bounded by the number of buckets, not by the
-- limit, so generous per-key limits for worker fleets cost no more than 5/min for a user.
--
-- An admitted request costs O(1) amortised: the hash keeps the running total of its buckets (field `s`) and the
-- index of its oldest non-empty bucket (field `o`); buckets that leave the window are subtracted once, as the cursor
-- passes them. Only a refusal reads the buckets one by one, to say when enough of them will have left.
--
-- The clock is Redis's own (TIME), so every gateway replica sees the same windows.
--
-- KEYS[1]  hash: bucket index -> admitted count, plus `s` and `o` (one key: safe on Redis Cluster; the caller
--          hash-tags it)
-- ARGV[1]  limit, ARGV[2] window in ms, ARGV[3] bucket length in ms, ARGV[4] permits wanted (optional, default 1: a
--          gateway leasing a local allowance asks for several at once and is granted what is left, at least one),
--          ARGV[5] and ARGV[6] (optional): permits of an earlier lease that were never used and never will be, and the
--          bucket that counted them; they stop counting (the counts stay at least the admissions they stand for)
-- Returns  { admitted (1|0), remaining, ms until the oldest counted request leaves, ms until one is admitted (0 if
--          admitted), permits granted, index of the bucket they were counted in, ms until that bucket ends }
--          A permit used before its bucket ends lies in the bucket that counts it, so leased permits keep the guarantee.
if redis.replicate_commands then
  redis.replicate_commands()
end

local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local bucket = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4]) or 1

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = math.floor(now / bucket)
local oldest = math.floor((now - window) / bucket)
local span = math.ceil(window / bucket) + 1

local state = redis.call('HMGET', key, 's', 'o')
local used = tonumber(state[1]) or 0
local cursor = tonumber(state[2])

-- Every stored bucket lies in [cursor, cursor + span]: a cursor that far behind means all of them have expired.
if cursor ~= nil and cursor + span < oldest then
  redis.call('DEL', key)
  used = 0
  cursor = nil
end

-- Move the cursor to the oldest non-empty bucket still in the window, forgetting the ones it passes.
if cursor ~= nil then
  while cursor <= current do
    local count = tonumber(redis.call('HGET', key, cursor))
    if count ~= nil and cursor >= oldest then
      break
    end
    if count ~= nil then
      used = used - count
      redis.call('HDEL', key, cursor)
    end
    cursor = cursor + 1
  end
  if cursor > current then
    cursor = nil
  end
end

-- Permits leased earlier that their instance gave up unused no longer count.
local unused = tonumber(ARGV[5]) or 0
if unused > 0 and cursor ~= nil then
  local from = tonumber(ARGV[6])
  if from ~= nil and from >= cursor and from <= current then
    local count = tonumber(redis.call('HGET', key, from)) or 0
    unused = math.min(unused, count)
    if unused == count then
      redis.call('HDEL', key, from)
    elseif unused > 0 then
      redis.call('HINCRBY', key, from, -unused)
    end
    used = used - unused
  end
end

-- ms until `needed` counted requests have left the window
local function freed_after(needed)
  if cursor == nil then
    return 0
  end
  local freed = 0
  for index = cursor, current do
    freed = freed + (tonumber(redis.call('HGET', key, index)) or 0)
    if freed >= needed then
      return (index + 1) * bucket + window - now
    end
  end
  return 0
end

if used < limit then
  local granted = math.min(wanted, limit - used)
  redis.call('HINCRBY', key, current, granted)
  if cursor == nil then
    cursor = current
  end
  redis.call('HSET', key, 's', used + granted, 'o', cursor)
  redis.call('PEXPIRE', key, window + bucket)
  return { 1, limit - used - granted, (cursor + 1) * bucket + window - now, 0, granted, current,
    (current + 1) * bucket - now }
end

if cursor ~= nil then
  redis.call('HSET', key, 's', used, 'o', cursor)
end
return { 0, 0, freed_after(1), freed_after(used - limit + 1), 0, current, (current + 1) * bucket - now }
