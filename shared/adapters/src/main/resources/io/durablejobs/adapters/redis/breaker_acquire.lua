-- May a call go ahead? Open -> half-open once the wait has passed (timed by Redis TIME); half-open admits a
-- bounded number of probes cluster-wide, each a lease that frees itself if its caller dies.
-- KEYS[1] breaker state hash, KEYS[2] its window hash (same hash tag)
-- ARGV[1] wait in open state ms, ARGV[2] permitted calls in half-open, ARGV[3] probe lease ms,
-- ARGV[4] probe id, ARGV[5] state ttl ms
-- Returns {verdict, state, generation, retry-after ms, transition}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local st = redis.call('HMGET', KEYS[1], 'state', 'gen', 'openedAt')
local state = st[1] or 'closed'
local gen = tonumber(st[2] or '0') or 0
local transition = ''
if state == 'open' then
  local reopen = (tonumber(st[3] or '0') or 0) + tonumber(ARGV[1])
  if now < reopen then
    return {'rejected', 'open', gen, reopen - now, ''}
  end
  gen = gen + 1
  state = 'half_open'
  redis.call('HSET', KEYS[1], 'state', 'half_open', 'gen', gen, 'hc', 0, 'hf', 0, 'hs', 0)
  transition = 'open>half_open'
end
if state == 'half_open' then
  local live = 0
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 'p:' then
      if tonumber(fields[i + 1]) > now then
        live = live + 1
      else
        redis.call('HDEL', KEYS[1], fields[i])
      end
    end
  end
  local done = tonumber(redis.call('HGET', KEYS[1], 'hc') or '0') or 0
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  if live + done < tonumber(ARGV[2]) then
    redis.call('HSET', KEYS[1], 'p:' .. ARGV[4], now + tonumber(ARGV[3]))
    return {'allowed', 'half_open', gen, 0, transition}
  end
  return {'rejected', 'half_open', gen, 1000, transition}
end
return {'allowed', 'closed', gen, 0, transition}
