-- KEYS: record, the tenant's id set, the due index (one slot: the namespace's schedules hash tag)
-- ARGV: id, tenant, definition JSON, next tick (epoch ms, '' for none), max schedules per tenant
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[1], 'tenant', ARGV[2], 'def', ARGV[3], 'paused', '0', 'next', ARGV[4], 'lastTick', '', 'lastJob', '')
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
end
return 1
