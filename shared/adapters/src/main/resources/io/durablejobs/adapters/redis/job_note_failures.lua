-- Keeps what GET /v1/jobs/{id} shows of a job's failures: its history (JSON, the newest entries) and, while
-- it waits for a retry, when that retry is due. Only for the attempt that failed, so a late note cannot
-- overwrite a newer attempt's.
-- KEYS[1] job key; ARGV[1] attempt, ARGV[2] history JSON, ARGV[3] next attempt at ('' = none)
local stored = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '-1') or -1
if stored ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'history', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'nextAttemptAt', ARGV[3])
else
  redis.call('HDEL', KEYS[1], 'nextAttemptAt')
end
return 1
