-- Gives back a port taken by ARGV[2] (owner) to the HEAD of bucket ARGV[3] (its SGs are still
-- those), e.g. after the SG update failed. ARGV[1] = port. Returns 1, or 0 when not held by owner.
local port, owner, sg = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', K_STATE, port) ~= 'assigned' or redis.call('HGET', K_OWNER, port) ~= owner then return 0 end
drop_owner(port)
redis.call('LPUSH', bucket_key(sg), port)
redis.call('HSET', K_SG, port, sg)
set_state(port, 'assigned', 'available')
if not redis.call('ZSCORE', K_BUCKETS, sg) then touch_bucket(sg) end
return 1
