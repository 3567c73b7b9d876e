-- Recovery: port ARGV[1] is referenced by owner ARGV[2]'s KuryrPort, so it is assigned to that owner.
-- An available, creating or unknown port becomes assigned (ARGV[3] = its security-group key,
-- ARGV[4] = its VIF, '' keeps the stored one). Returns 'assigned' (changed), 'same' (already held
-- by this owner), 'conflict' (held by another owner, or the owner already holds another port of
-- this pool), or the state it was left in ('recyclable', 'deleting').
local port, owner, sg, vif = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local cur = redis.call('HGET', K_STATE, port)
if cur == 'assigned' then
  if redis.call('HGET', K_OWNER, port) == owner then return 'same' end
  return 'conflict'
end
if cur and cur ~= 'available' and cur ~= 'creating' then return cur end
local held = redis.call('HGET', K_OWNED, owner)
if held and held ~= port then return 'conflict' end
if cur == 'available' then unlist(port, redis.call('HGET', K_SG, port) or '') end
if vif ~= '' then redis.call('HSET', K_VIF, port, vif) end
redis.call('HSET', K_SG, port, sg)
set_state(port, cur or nil, 'assigned')
redis.call('HSET', K_OWNER, port, owner)
redis.call('HSET', K_OWNED, owner, port)
return 'assigned'
