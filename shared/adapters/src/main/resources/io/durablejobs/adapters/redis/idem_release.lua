-- Ends an in-progress claim's lease at once, keeping its job id: the unconfirmed message may exist, so
-- a retry must resume the same job. KEYS[1]; ARGV[1] owner
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'state') == 'in_progress' then
  redis.call('HSET', KEYS[1], 'leaseUntil', 0)
  return 1
end
return 0
