-- Moves a job's status, atomically and only when legal (see JobTransitions) and current.
-- An attempt is current when it is newer than the stored one, or the same one while still running
-- (a redelivery after a crash). So a stale copy of an already handed-on message moves nothing.
-- KEYS[1] job key
-- ARGV[1] target status, ARGV[2] attempt, ARGV[3] allowed source statuses (comma separated),
-- ARGV[4] ttl ms, ARGV[5] updatedAt, ARGV[6] result JSON or '', ARGV[7] error or ''
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'MISSING'
end
local allowed = false
for s in string.gmatch(ARGV[3], '[^,]+') do
  if s == status then allowed = true end
end
if not allowed then
  return 'REFUSED'
end
local stored = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0') or 0
local attempt = tonumber(ARGV[2])
if attempt < stored or (attempt == stored and status ~= 'running') then
  return 'REFUSED'
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'attempts', ARGV[2], 'updatedAt', ARGV[5])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'result', ARGV[6])
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'error', ARGV[7])
elseif ARGV[1] == 'succeeded' or ARGV[1] == 'running' then
  redis.call('HDEL', KEYS[1], 'error')
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 'APPLIED'
