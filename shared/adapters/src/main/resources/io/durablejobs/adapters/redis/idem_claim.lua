-- Claims an Idempotency-Key (IETF draft semantics). Time from Redis TIME.
-- KEYS[1] idempotency key
-- ARGV[1] fingerprint, ARGV[2] proposed job id, ARGV[3] createdAt, ARGV[4] owner, ARGV[5] lease ms, ARGV[6] ttl ms
-- Returns {verdict, ...}: {'PROCEED', jobId, createdAt, 0|1 resumed} | {'IN_PROGRESS'} | {'MISMATCH'}
--                         | {'COMPLETED', status, body, location}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'in_progress', 'fingerprint', ARGV[1], 'jobId', ARGV[2], 'createdAt', ARGV[3],
    'owner', ARGV[4], 'leaseUntil', now + tonumber(ARGV[5]))
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  return {'PROCEED', ARGV[2], ARGV[3], 0}
end
if redis.call('HGET', KEYS[1], 'fingerprint') ~= ARGV[1] then
  return {'MISMATCH'}
end
if state == 'completed' then
  local r = redis.call('HMGET', KEYS[1], 'status', 'body', 'location')
  return {'COMPLETED', r[1], r[2], r[3] or ''}
end
local leaseUntil = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0') or 0
if leaseUntil > now then
  return {'IN_PROGRESS'}
end
-- The first accepter died or was not confirmed: resume under the job id fixed by the first claim.
redis.call('HSET', KEYS[1], 'owner', ARGV[4], 'leaseUntil', now + tonumber(ARGV[5]))
local r = redis.call('HMGET', KEYS[1], 'jobId', 'createdAt')
return {'PROCEED', r[1], r[2], 1}
