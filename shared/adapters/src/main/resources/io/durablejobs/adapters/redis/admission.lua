-- GCRA (generic cell rate algorithm) for a tenant's rate and the global budget, decided together: a
-- request is admitted only if both allow it, and a rejected one consumes neither. Time from Redis TIME.
-- KEYS[1] tenant key, KEYS[2] global key (same hash tag: one slot, one round trip)
-- ARGV[1] tenant interval ms (0 = unlimited), ARGV[2] tenant burst, ARGV[3] global interval ms, ARGV[4] global burst
-- Returns {verdict 'ok'|'tenant'|'global', retry-after ms, tenant remaining, tenant reset ms}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function check(key, interval, burst)
  if interval <= 0 then return true, 0, -1, 0, nil end
  local tat = tonumber(redis.call('GET', key) or '0') or 0
  if tat < now then tat = now end
  local tolerance = interval * burst
  local newTat = tat + interval
  local allowAt = newTat - tolerance
  if allowAt > now then
    return false, allowAt - now, 0, tat - now, nil
  end
  local remaining = math.floor((now - allowAt) / interval)
  return true, 0, remaining, newTat - now, newTat
end
local ti, tb = tonumber(ARGV[1]), tonumber(ARGV[2])
local gi, gb = tonumber(ARGV[3]), tonumber(ARGV[4])
local tok, tretry, trem, treset, tnew = check(KEYS[1], ti, tb)
if not tok then
  return {'tenant', math.ceil(tretry), 0, math.ceil(treset)}
end
local gok, gretry, _, _, gnew = check(KEYS[2], gi, gb)
if not gok then
  return {'global', math.ceil(gretry), trem, math.ceil(treset)}
end
if tnew then redis.call('SET', KEYS[1], tostring(tnew), 'PX', math.ceil(tnew - now) + 1000) end
if gnew then redis.call('SET', KEYS[2], tostring(gnew), 'PX', math.ceil(gnew - now) + 1000) end
return {'ok', 0, trem, math.ceil(treset)}
