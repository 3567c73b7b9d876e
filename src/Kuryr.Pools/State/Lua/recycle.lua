-- A recyclable port goes back to bucket ARGV[2] (its current SGs) when the pool holds fewer than
-- ARGV[3] available ports (0 = unlimited), else it is marked for deletion. ARGV[1] = port.
-- Returns 'available', 'deleting', or 'skip' when the port is not recyclable (any more).
local port, sg, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('HGET', K_STATE, port) ~= 'recyclable' then return 'skip' end
redis.call('ZREM', K_RECYC, port)
local available = tonumber(redis.call('HGET', K_COUNTS, 'available') or '0')
if max == 0 or available < max then
  make_available(port, 'recyclable', sg)
  return 'available'
end
set_state(port, 'recyclable', 'deleting')
return 'deleting'
