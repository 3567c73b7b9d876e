-- Hands one available port to ARGV[2] (owner), preferring bucket ARGV[1] (requested SG key),
-- else the least recently used non-empty bucket. Idempotent per owner: an owner that already
-- holds a port of this pool gets the same port again.
-- Returns nil when the pool has no available port, else {port, vif, source sg, how} with how =
-- 'match' (the SGs already fit), 'swap' (the caller must update the port's SGs, then keep it, or
-- give it back with untake.lua) or 'existing'.
local want, owner = ARGV[1], ARGV[2]
local held = redis.call('HGET', K_OWNED, owner)
if held then
  return {held, redis.call('HGET', K_VIF, held) or '', redis.call('HGET', K_SG, held) or '', 'existing'}
end
local function pop(sg)
  local key = bucket_key(sg)
  while true do
    local port = redis.call('LPOP', key)
    if not port then redis.call('ZREM', K_BUCKETS, sg); return nil end
    if redis.call('LLEN', key) == 0 then redis.call('ZREM', K_BUCKETS, sg) end
    -- a list entry whose state moved on (e.g. deleted) is stale: skip it
    if redis.call('HGET', K_STATE, port) == 'available' then return port end
  end
end
local source, how = want, 'match'
local port = pop(want)
while not port do
  local lru = redis.call('ZRANGE', K_BUCKETS, 0, 0)[1]
  if not lru then return nil end
  source, how = lru, 'swap'
  port = pop(lru)
end
set_state(port, 'available', 'assigned')
redis.call('HSET', K_OWNER, port, owner)
redis.call('HSET', K_OWNED, owner, port)
redis.call('HSET', K_SG, port, want)
return {port, redis.call('HGET', K_VIF, port) or '', source, how}
