-- Records the outcome of a claimed run, only for the current holder (fencing): a worker whose lease
-- lapsed and was taken over cannot overwrite the newer holder's outcome.
-- KEYS[1] job key
-- ARGV[1] target status, ARGV[2] fencing token, ARGV[3] ttl ms, ARGV[4] updatedAt, ARGV[5] result JSON or '', ARGV[6] error or ''
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'MISSING'
end
if status ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
  return 'REFUSED'
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[4])
redis.call('HDEL', KEYS[1], 'leaseUntil')
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'result', ARGV[5])
end
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'error', ARGV[6])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'APPLIED'
