-- Removes every trace of port ARGV[1] (deleted in Neutron, or gone). Only ports in state
-- 'deleting' or 'creating' are forgotten unless ARGV[2] == 'force'. Returns the old state or nil.
local port, force = ARGV[1], ARGV[2]
local cur = redis.call('HGET', K_STATE, port)
if not cur then return nil end
if force ~= 'force' and cur ~= 'deleting' and cur ~= 'creating' then return nil end
if cur == 'available' then unlist(port, redis.call('HGET', K_SG, port) or '') end
if cur == 'recyclable' then redis.call('ZREM', K_RECYC, port) end
drop_owner(port)
set_state(port, cur, nil)
redis.call('HDEL', K_VIF, port)
redis.call('HDEL', K_SG, port)
return cur
