-- Shared by every pool script (prepended at load time). KEYS are always, in this order:
--  1 state   HASH port -> creating|available|assigned|recyclable|deleting
--  2 vif     HASH port -> VIF JSON (os-vif envelope)
--  3 sg      HASH port -> security-group key (sorted ids joined by ',', '' = default set)
--  4 owner   HASH port -> owner (namespace/name/uid/ifname)
--  5 owned   HASH owner -> port
--  6 buckets ZSET sg key -> recency sequence (only buckets holding available ports)
--  7 recyc   ZSET port -> release time (ms)
--  8 counts  HASH state -> number of ports in that state
--  9 seq     STRING recency counter
-- Available ports of a bucket live in LIST KEYS[6] .. ':' .. sg (same hash tag, same slot).
local K_STATE, K_VIF, K_SG, K_OWNER, K_OWNED, K_BUCKETS, K_RECYC, K_COUNTS, K_SEQ =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]

local function bucket_key(sg) return K_BUCKETS .. ':' .. sg end

local function set_state(port, from, to)
  if from then redis.call('HINCRBY', K_COUNTS, from, -1) end
  if to then
    redis.call('HSET', K_STATE, port, to)
    redis.call('HINCRBY', K_COUNTS, to, 1)
  else
    redis.call('HDEL', K_STATE, port)
  end
end

local function touch_bucket(sg)
  redis.call('ZADD', K_BUCKETS, redis.call('INCR', K_SEQ), sg)
end

-- Append to the tail of its bucket (least recently used ports are taken from the head).
local function make_available(port, from, sg)
  redis.call('RPUSH', bucket_key(sg), port)
  redis.call('HSET', K_SG, port, sg)
  set_state(port, from, 'available')
  touch_bucket(sg)
end

-- Remove a port from the available lists it may sit in.
local function unlist(port, sg)
  local key = bucket_key(sg)
  redis.call('LREM', key, 0, port)
  if redis.call('LLEN', key) == 0 then redis.call('ZREM', K_BUCKETS, sg) end
end

local function drop_owner(port)
  local owner = redis.call('HGET', K_OWNER, port)
  if owner then
    redis.call('HDEL', K_OWNER, port)
    if redis.call('HGET', K_OWNED, owner) == port then redis.call('HDEL', K_OWNED, owner) end
  end
end
