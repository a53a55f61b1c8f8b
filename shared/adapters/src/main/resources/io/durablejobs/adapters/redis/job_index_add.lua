-- Adds a job to its tenant's listing and drops the entries older than the retention, so the sorted set,
-- whose members cannot expire one by one, lives about as long as the records it points to.
-- KEYS[1] the tenant's index; ARGV[1] createdAt epoch ms, ARGV[2] job id, ARGV[3] oldest score kept, ARGV[4] key ttl ms
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
