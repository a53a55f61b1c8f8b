-- Puts a dead-lettered job back to work (replay): queued, attempts 0, the execution record (lease, delivery
-- count, error, result) reset so the claim runs it again; the fencing token is kept, it only grows. The
-- replay generation rises and the lineage is stored. Repeating it while the replay is pending returns the
-- same generation; an expired record is recreated.
-- KEYS[1] job key
-- ARGV[1] min generation, ARGV[2] replayOf, ARGV[3] by, ARGV[4] at (ISO), ARGV[5] ttl ms,
-- ARGV[6] tenant, ARGV[7] type, ARGV[8] createdAt
-- Returns the generation, or -1 when the job is not dead-lettered.
local status = redis.call('HGET', KEYS[1], 'status')
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') or 0
if status == 'queued' and redis.call('HGET', KEYS[1], 'attempts') == '0'
    and redis.call('HGET', KEYS[1], 'replayOf') == ARGV[2] then
  return gen
end
if status and status ~= 'dead_lettered' then
  return -1
end
if not status then
  redis.call('HSET', KEYS[1], 'tenant', ARGV[6], 'type', ARGV[7], 'createdAt', ARGV[8])
end
local nextGen = math.max(gen + 1, tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', '0', 'gen', nextGen, 'replayOf', ARGV[2],
  'replayedBy', ARGV[3], 'replayedAt', ARGV[4], 'updatedAt', ARGV[4])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'deliveries', 'error', 'result')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return nextGen
