-- Adds ports as ARGV[1] ('available' or 'creating') in security-group bucket ARGV[2];
-- ARGV[3..] = port, vif, port, vif, ... A port already known is left as it is, except that a
-- 'creating' port becomes 'available' (population finished). Returns the number of ports changed.
local target, sg, changed = ARGV[1], ARGV[2], 0
for i = 3, #ARGV, 2 do
  local port, vif = ARGV[i], ARGV[i + 1]
  local cur = redis.call('HGET', K_STATE, port)
  if not cur or (cur == 'creating' and target == 'available') then
    if vif ~= '' then redis.call('HSET', K_VIF, port, vif) end
    if target == 'available' then
      make_available(port, cur or nil, sg)
    else
      redis.call('HSET', K_SG, port, sg)
      set_state(port, nil, 'creating')
    end
    changed = changed + 1
  end
end
return changed
