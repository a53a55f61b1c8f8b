-- Stores the response to replay, if the caller still owns the claim.
-- KEYS[1]; ARGV[1] owner, ARGV[2] status, ARGV[3] body, ARGV[4] location, ARGV[5] ttl ms
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'completed', 'status', ARGV[2], 'body', ARGV[3], 'location', ARGV[4])
redis.call('HDEL', KEYS[1], 'leaseUntil')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
