-- Marks a job dead-lettered without a claim: the broker dead-lettered it by itself (quorum delivery_limit,
-- rejected, expired). Never moves a finished job.
-- KEYS[1] job key; ARGV[1] updatedAt, ARGV[2] error, ARGV[3] ttl ms
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'MISSING'
end
if status == 'succeeded' or status == 'dead_lettered' or status == 'cancelled' then
  return 'REFUSED'
end
redis.call('HSET', KEYS[1], 'status', 'dead_lettered', 'updatedAt', ARGV[1], 'error', ARGV[2])
redis.call('HDEL', KEYS[1], 'leaseUntil')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'APPLIED'
