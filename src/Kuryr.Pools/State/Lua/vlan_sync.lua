-- Brings one trunk's reservations (KEYS[1]) in line with Neutron (recovery, GC): the ids in use on
-- the trunk (ARGV[3..]) are reserved (kept with their time if already there, else time ARGV[1]);
-- an id reserved before ARGV[2] (Unix ms) that is not in use is dropped (its creator crashed or
-- gave up before attaching a port). Younger reservations stay: a population may be in flight.
-- Returns the number of reservations dropped.
local now, stale = ARGV[1], tonumber(ARGV[2])
local inuse = {}
for i = 3, #ARGV do
  inuse[ARGV[i]] = true
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then redis.call('ZADD', KEYS[1], now, ARGV[i]) end
end
local dropped = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. stale)) do
  if not inuse[id] then
    redis.call('ZREM', KEYS[1], id)
    dropped = dropped + 1
  end
end
return dropped
