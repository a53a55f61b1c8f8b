-- Records a call's result and returns the breaker's state, in one round trip. A result from an older
-- generation (issued before the last transition) is ignored.
-- KEYS[1] breaker state hash, KEYS[2] window hash
-- ARGV[1] generation, ARGV[2] failed 0|1, ARGV[3] slow 0|1, ARGV[4] probe id or '',
-- ARGV[5] failure rate threshold, ARGV[6] slow call rate threshold, ARGV[7] minimum calls,
-- ARGV[8] window seconds, ARGV[9] permitted calls in half-open, ARGV[10] state ttl ms
-- Returns {state, generation, transition}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local st = redis.call('HMGET', KEYS[1], 'state', 'gen')
local state = st[1] or 'closed'
local gen = tonumber(st[2] or '0') or 0
if tonumber(ARGV[1]) ~= gen then
  return {state, gen, ''}
end
local failed = ARGV[2] == '1'
local slow = ARGV[3] == '1'
local function trips(calls, fails, slows)
  return calls > 0 and (fails * 100 >= tonumber(ARGV[5]) * calls or slows * 100 >= tonumber(ARGV[6]) * calls)
end
local function open(from)
  gen = gen + 1
  redis.call('HSET', KEYS[1], 'state', 'open', 'gen', gen, 'openedAt', now)
  redis.call('DEL', KEYS[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[10])
  return {'open', gen, from .. '>open'}
end
if state == 'closed' then
  local window = tonumber(ARGV[8])
  local sec = math.floor(now / 1000)
  redis.call('HINCRBY', KEYS[2], sec .. ':c', 1)
  if failed then redis.call('HINCRBY', KEYS[2], sec .. ':f', 1) end
  if slow then redis.call('HINCRBY', KEYS[2], sec .. ':s', 1) end
  local calls, fails, slows = 0, 0, 0
  local fields = redis.call('HGETALL', KEYS[2])
  for i = 1, #fields, 2 do
    local s, kind = string.match(fields[i], '^(%d+):(%a)$')
    s = tonumber(s)
    if s == nil or s <= sec - window then
      redis.call('HDEL', KEYS[2], fields[i])
    elseif kind == 'c' then calls = calls + tonumber(fields[i + 1])
    elseif kind == 'f' then fails = fails + tonumber(fields[i + 1])
    elseif kind == 's' then slows = slows + tonumber(fields[i + 1])
    end
  end
  redis.call('PEXPIRE', KEYS[2], window * 1000 + 60000)
  if calls >= tonumber(ARGV[7]) and trips(calls, fails, slows) then
    return open('closed')
  end
  if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('HSET', KEYS[1], 'state', 'closed', 'gen', gen)
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[10])
  return {'closed', gen, ''}
end
if state == 'half_open' then
  if ARGV[4] ~= '' then redis.call('HDEL', KEYS[1], 'p:' .. ARGV[4]) end
  local hc = redis.call('HINCRBY', KEYS[1], 'hc', 1)
  if failed then redis.call('HINCRBY', KEYS[1], 'hf', 1) end
  if slow then redis.call('HINCRBY', KEYS[1], 'hs', 1) end
  if hc >= tonumber(ARGV[9]) then
    local h = redis.call('HMGET', KEYS[1], 'hf', 'hs')
    if trips(hc, tonumber(h[1] or '0'), tonumber(h[2] or '0')) then
      return open('half_open')
    end
    gen = gen + 1
    redis.call('DEL', KEYS[1], KEYS[2])
    redis.call('HSET', KEYS[1], 'state', 'closed', 'gen', gen)
    redis.call('PEXPIRE', KEYS[1], ARGV[10])
    return {'closed', gen, 'half_open>closed'}
  end
  return {'half_open', gen, ''}
end
return {state, gen, ''}
