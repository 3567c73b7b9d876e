-- Marks a port for deletion when its state is one of ARGV[2..] (e.g. available, recyclable,
-- creating). ARGV[1] = port. Returns the previous state, or nil when it was in none of them.
local port = ARGV[1]
local cur = redis.call('HGET', K_STATE, port)
if not cur then return nil end
for i = 2, #ARGV do
  if cur == ARGV[i] then
    if cur == 'deleting' then return cur end
    if cur == 'available' then unlist(port, redis.call('HGET', K_SG, port) or '') end
    if cur == 'recyclable' then redis.call('ZREM', K_RECYC, port) end
    if cur == 'assigned' then drop_owner(port) end
    set_state(port, cur, 'deleting')
    return cur
  end
end
return nil
