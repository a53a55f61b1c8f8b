-- Cancels a job in one step. Not yet running (scheduled, queued, retrying): it becomes cancelled, and the
-- execution claim refuses it from then on. Running: only the request is recorded, for its handler to see.
-- KEYS[1] job key; ARGV[1] updatedAt, ARGV[2] ttl ms
-- Returns CANCELLED, REQUESTED, FINISHED or MISSING.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'MISSING'
end
if status == 'cancelled' then
  return 'CANCELLED'
end
if status == 'succeeded' or status == 'dead_lettered' then
  return 'FINISHED'
end
if status == 'running' then
  redis.call('HSETNX', KEYS[1], 'cancelRequested', ARGV[1])
  return 'REQUESTED'
end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updatedAt', ARGV[1])
redis.call('HDEL', KEYS[1], 'leaseUntil')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'CANCELLED'
