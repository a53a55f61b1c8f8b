-- KEYS: record, the tenant's id set, the due index. ARGV: id, tenant. 0 when the tenant has no such schedule.
if redis.call('HGET', KEYS[1], 'tenant') ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
