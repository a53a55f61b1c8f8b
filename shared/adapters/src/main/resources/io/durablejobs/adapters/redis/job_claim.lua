-- Takes the execution lease of a job for one attempt. Atomic; time comes from Redis (TIME), never from
-- the callers' clocks, so workers with skewed clocks agree on when a lease ends.
-- KEYS[1] job key
-- ARGV[1] attempt, ARGV[2] lease ms, ARGV[3] max deliveries of one attempt, ARGV[4] ttl ms,
-- ARGV[5] tenant, ARGV[6] type, ARGV[7] createdAt, ARGV[8] updatedAt (display)
-- Returns {verdict, token or lease ms left, deliveries, replay generation}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local attempt = tonumber(ARGV[1])
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  -- The record expired or Redis lost it; the broker's message is the truth, so the job goes on.
  redis.call('HSET', KEYS[1], 'tenant', ARGV[5], 'type', ARGV[6], 'createdAt', ARGV[7], 'status', 'queued', 'attempts', '0')
  status = 'queued'
end
if status == 'succeeded' or status == 'dead_lettered' or status == 'cancelled' then
  return {'FINISHED', 0, 0}
end
local stored = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0') or 0
if attempt < stored or (attempt == stored and status ~= 'running') then
  return {'STALE', 0, 0}
end
if status == 'running' then
  local leaseUntil = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0') or 0
  if leaseUntil > now then
    return {'BUSY', leaseUntil - now, 0}
  end
end
local deliveries = 1
if attempt == stored then
  deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
else
  redis.call('HSET', KEYS[1], 'deliveries', 1)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if deliveries > tonumber(ARGV[3]) then
  return {'POISON', 0, deliveries}
end
local token = redis.call('HINCRBY', KEYS[1], 'token', 1)
redis.call('HSET', KEYS[1], 'status', 'running', 'attempts', ARGV[1], 'leaseUntil', now + tonumber(ARGV[2]), 'updatedAt', ARGV[8])
redis.call('HDEL', KEYS[1], 'error')
return {'CLAIMED', token, deliveries, tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') or 0}
