-- Writes a new job status record and its time to live in one step.
-- KEYS[1] job key; ARGV[1] ttl in ms; ARGV[2..] field, value pairs
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 'OK'
