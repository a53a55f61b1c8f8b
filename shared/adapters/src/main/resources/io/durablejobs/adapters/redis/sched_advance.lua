-- Compare-and-set of a schedule's next tick: only the scheduler instance that read the current tick moves it.
-- KEYS: record, the due index. ARGV: id, expected next (epoch ms), new next ('' for none), last tick (ms or ''), last job id (or '').
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'next') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'next', ARGV[3], 'lastTick', ARGV[4], 'lastJob', ARGV[5])
if redis.call('HGET', KEYS[1], 'paused') ~= '1' and ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 1
