-- ledger_count.lua for many jobs of one tenant at once (a worker's batch): each marker is set at most once,
-- and only the jobs whose marker this call set move the counters, summed into one HINCRBY per field. The
-- markers and the counters share the tenant's slot, so the whole call is one atomic step.
-- KEYS[1] the tenant's ledger hash, KEYS[2..] one marker key per job (same hash tag)
-- ARGV[1] marker ttl ms, ARGV[2] ledger ttl ms, then for each job, in the order of its marker:
-- job type, field, delta, field, delta
-- Returns one entry per job: 1 when counted now, 0 when already counted.
local sums = {}
local fields = {}
local function add(field, delta)
  if sums[field] == nil then
    sums[field] = 0
    fields[#fields + 1] = field
  end
  sums[field] = sums[field] + tonumber(delta)
end
local out = {}
local moved = false
for i = 2, #KEYS do
  local b = 3 + (i - 2) * 5
  if redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) then
    for j = b + 1, b + 3, 2 do
      add(ARGV[j], ARGV[j + 1])
      add('type:' .. ARGV[b] .. ':' .. ARGV[j], ARGV[j + 1])
    end
    out[i - 1] = 1
    moved = true
  else
    out[i - 1] = 0
  end
end
for _, field in ipairs(fields) do
  if sums[field] ~= 0 then
    redis.call('HINCRBY', KEYS[1], field, sums[field])
  end
end
if moved then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return out
