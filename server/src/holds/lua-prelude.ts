/**
 * Shared Lua helpers for the Redis hold store scripts (scripts.ts). Every multi-key change is one script, so
 * it is all-or-nothing and no two nodes interleave. ARGV[1] is always the key prefix; keys are built inside
 * the scripts (standalone Redis only: the global expiry index could never share a cluster slot with the seat
 * keys anyway). Time comes from
 * `redis.call('TIME')` so node clocks do not matter.
 *
 * Keys: `seat_lock:{seatId}` → holdId (PX = hold left + grace), `hold:{holdId}` hash {scheduleId, seatIds csv,
 * expiresAt, deadline}, `holds:expiry` ZSET holdId → deadline, `schedule:{id}:held|reserved` sets,
 * `schedule:{id}:version` counter, `reserved:loaded` sentinel.
 *
 * Public status of a seat: reserved if in the schedule's reserved set, else held if in its held set, else
 * available. A lock (`seat_lock:{seatId}` → holdId) only blocks others while its hold is live
 * (`deadline` > now); an expired hold's seats stay in the held set until the sweeper frees them.
 */
export const prelude = `
local P = ARGV[1]
local EXPIRY = P .. 'holds:expiry'
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(n) return string.format('%d', n) end
local function hold_key(id) return P .. 'hold:' .. id end
local function lock_key(seat) return P .. 'seat_lock:' .. seat end
local function held_key(s) return P .. 'schedule:' .. s .. ':held' end
local function reserved_key(s) return P .. 'schedule:' .. s .. ':reserved' end
local function version_key(s) return P .. 'schedule:' .. s .. ':version' end
local function split(csv)
  local out = {}
  if csv then for part in string.gmatch(csv, '[^,]+') do out[#out + 1] = part end end
  return out
end
local function is_live(id, now)
  local d = redis.call('HGET', hold_key(id), 'deadline')
  return d and tonumber(d) > now
end
local function blocked(schedule, seat, id, now)
  if redis.call('SISMEMBER', reserved_key(schedule), seat) == 1 then return true end
  local owner = redis.call('GET', lock_key(seat))
  return owner and owner ~= id and is_live(owner, now) or false
end
local function change(changes, seat, status)
  changes[#changes + 1] = seat
  changes[#changes + 1] = status
end
local function take_seat(schedule, seat, id, px, changes)
  redis.call('SET', lock_key(seat), id, 'PX', int(px))
  if redis.call('SADD', held_key(schedule), seat) == 1 then change(changes, seat, 'held') end
end
-- Frees a seat of hold id unless another hold has taken it over since.
local function drop_seat(schedule, seat, id, changes)
  local owner = redis.call('GET', lock_key(seat))
  if owner and owner ~= id then return end
  if owner then redis.call('DEL', lock_key(seat)) end
  if redis.call('SREM', held_key(schedule), seat) == 1
    and redis.call('SISMEMBER', reserved_key(schedule), seat) == 0 then
    change(changes, seat, 'available')
  end
end
-- Reserved wins over any hold: the database said so.
local function reserve_seat(schedule, seat, changes)
  redis.call('DEL', lock_key(seat))
  redis.call('SREM', held_key(schedule), seat)
  if redis.call('SADD', reserved_key(schedule), seat) == 1 then change(changes, seat, 'reserved') end
end
-- Advances the version by one per change; the reply is {} or {scheduleId, fromVersion, version, seat, status, ...}.
local function publish(schedule, changes)
  local n = #changes / 2
  if n == 0 then return {} end
  local v = redis.call('INCRBY', version_key(schedule), n)
  local ev = { schedule, v - n, v }
  for i = 1, #changes do ev[#ev + 1] = changes[i] end
  return ev
end
local function delete_hold(id)
  redis.call('DEL', hold_key(id))
  redis.call('ZREM', EXPIRY, id)
end
`;
