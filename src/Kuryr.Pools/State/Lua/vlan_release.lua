-- Releases VLAN ids ARGV[1..] of one trunk (KEYS[1], the trunk's ZSET). Idempotent: ids not
-- reserved are ignored. Returns how many were released.
local n = 0
for i = 1, #ARGV do n = n + redis.call('ZREM', KEYS[1], ARGV[i]) end
return n
