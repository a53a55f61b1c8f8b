-- GCRA (generic cell rate algorithm) for a tenant's rate and the global budget, decided together: a
-- request is admitted only if both allow it, and a rejected one consumes neither. A batch asks for several
-- jobs at once and is granted as many as both limits allow (each job costs one), at least one or none.
-- Time from Redis TIME.
-- KEYS[1] tenant key, KEYS[2] global key (same hash tag: one slot, one round trip)
-- ARGV[1] tenant interval ms (0 = unlimited), ARGV[2] tenant burst, ARGV[3] global interval ms, ARGV[4] global burst,
-- ARGV[5] jobs asked for (absent: 1)
-- Returns {verdict 'ok'|'tenant'|'global', retry-after ms, tenant remaining, tenant reset ms, jobs granted}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local asked = tonumber(ARGV[5] or '1') or 1
-- How many jobs fit now (at most asked), with the key's theoretical arrival time.
local function fits(key, interval, burst)
  if interval <= 0 then return asked, 0 end
  local tat = tonumber(redis.call('GET', key) or '0') or 0
  if tat < now then tat = now end
  local room = math.floor((now - tat + interval * burst) / interval + 1e-9)
  if room < 0 then room = 0 end
  return math.min(asked, room), tat
end
local ti, tb = tonumber(ARGV[1]), tonumber(ARGV[2])
local gi, gb = tonumber(ARGV[3]), tonumber(ARGV[4])
local tk, ttat = fits(KEYS[1], ti, tb)
if tk < 1 then
  return {'tenant', math.ceil(ttat + ti - ti * tb - now), 0, math.ceil(ttat - now)}
end
local gk, gtat = fits(KEYS[2], gi, gb)
if gk < 1 then
  local trem = ti > 0 and math.floor((now - (ttat + ti - ti * tb)) / ti) or -1
  return {'global', math.ceil(gtat + gi - gi * gb - now), trem, ti > 0 and math.ceil(ttat - now) or 0}
end
local k = math.min(tk, gk)
local trem, treset = -1, 0
if ti > 0 then
  local tnew = ttat + ti * k
  redis.call('SET', KEYS[1], tostring(tnew), 'PX', math.ceil(tnew - now) + 1000)
  trem = math.floor((now - (tnew - ti * tb)) / ti + 1e-9)
  treset = math.ceil(tnew - now)
end
if gi > 0 then
  local gnew = gtat + gi * k
  redis.call('SET', KEYS[2], tostring(gnew), 'PX', math.ceil(gnew - now) + 1000)
end
return {'ok', 0, trem, treset, k}
