-- One page of a tenant's listing, newest first (score descending, then job id descending), strictly after
-- a position. KEYS[1] the tenant's index
-- ARGV[1] highest score (inclusive), ARGV[2] job id at that score to start below ('' = none),
-- ARGV[3] lowest score (inclusive), ARGV[4] count
-- Returns {id, score, id, score, ...}
local count = tonumber(ARGV[4])
local out = {}
local offset = 0
while #out < count * 2 do
  local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[3], 'WITHSCORES', 'LIMIT', offset, count)
  if #batch == 0 then
    break
  end
  for i = 1, #batch, 2 do
    local id, score = batch[i], batch[i + 1]
    if not (ARGV[2] ~= '' and score == ARGV[1] and id >= ARGV[2]) then
      out[#out + 1] = id
      out[#out + 1] = score
      if #out >= count * 2 then
        break
      end
    end
  end
  offset = offset + count
end
return out
