-- The pod is gone: its port becomes recyclable (no Neutron call). ARGV: port, owner ('' = any
-- owner, for recovery), now-ms. Returns 1 when released, 0 when already recyclable (idempotent),
-- -1 when the port is unknown, -2 when it is held by another owner or in another state.
local port, owner, now = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('HGET', K_STATE, port)
if not cur then return -1 end
if cur == 'recyclable' then return 0 end
if cur ~= 'assigned' then return -2 end
if owner ~= '' and redis.call('HGET', K_OWNER, port) ~= owner then return -2 end
drop_owner(port)
redis.call('ZADD', K_RECYC, now, port)
set_state(port, 'assigned', 'recyclable')
return 1
