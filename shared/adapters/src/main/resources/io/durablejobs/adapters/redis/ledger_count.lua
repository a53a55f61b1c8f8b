-- Moves a tenant's ledger counters once per marker: the marker (job id, kind, generation) and the counters
-- share the tenant's slot, so "counted?" and "count" are one atomic step, however often it is called.
-- KEYS[1] the tenant's ledger hash, KEYS[2] the marker key (same hash tag)
-- ARGV[1] marker ttl ms, ARGV[2] ledger ttl ms, ARGV[3] job type, ARGV[4..] field, delta pairs
-- Returns the new 'accepted' total when it moved, 0 when already counted, -1 otherwise.
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return 0
end
local accepted = -1
for i = 4, #ARGV, 2 do
  local v = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[1], 'type:' .. ARGV[3] .. ':' .. ARGV[i], ARGV[i + 1])
  if ARGV[i] == 'accepted' then accepted = v end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return accepted
