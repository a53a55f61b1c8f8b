-- Records a running job's progress; a job that finished meanwhile keeps its record as it is.
-- KEYS[1] job key; ARGV[1] percent, ARGV[2] message, ARGV[3] at
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then
  return 0
end
redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'progressMessage', ARGV[2], 'progressAt', ARGV[3])
return 1
