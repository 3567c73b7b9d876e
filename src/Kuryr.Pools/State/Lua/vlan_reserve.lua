-- Reserves up to ARGV[1] VLAN ids of one trunk, taken in order from the candidates ARGV[3..]
-- (the caller's preference order, already without the ids in use on the trunk), skipping the ids
-- reserved already (by this or another controller replica). KEYS[1] = the trunk's ZSET
-- (member = VLAN id, score = reservation time in Unix ms = ARGV[2]). Returns the reserved ids.
local want, now = tonumber(ARGV[1]), ARGV[2]
local got = {}
for i = 3, #ARGV do
  if #got >= want then break end
  local id = ARGV[i]
  if not redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], now, id)
    got[#got + 1] = id
  end
end
return got
