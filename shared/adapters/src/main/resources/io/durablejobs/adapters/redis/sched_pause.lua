-- KEYS: record, the due index. ARGV: id, tenant, '1' to pause or '0' to resume, next tick (epoch ms, '' for none).
if redis.call('HGET', KEYS[1], 'tenant') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'paused', ARGV[3], 'next', ARGV[4])
if ARGV[3] == '1' or ARGV[4] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
return 1
