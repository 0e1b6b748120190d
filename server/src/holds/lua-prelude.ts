/**
 * Shared Lua helpers for the Redis hold store scripts (scripts.ts). Every multi-key change is one script, so
 * it is all-or-nothing and no two nodes interleave. Each script works on ONE performance, and every key it
 * touches carries that performance's hash tag `{<scheduleId>}`, so on a Redis Cluster the whole script runs in one
 * slot (decision 0014); the single Redis runs the very same scripts. Time comes from `redis.call('TIME')` so node
 * clocks do not matter.
 *
 * Call shape (schedule-keys.ts builds it): KEYS = the performance's fixed keys {version, held, reserved, expiry,
 * loaded}; ARGV[1] = the performance's key base `<prefix>{<scheduleId>}:` (keys named by data — a hold, a seat
 * lock, a holder — are built on it, so they share the tag), ARGV[2] = its event channel, ARGV[3] = its id; the
 * script's own arguments follow (`A[1]` = ARGV[4], …).
 *
 * Keys under the base B: `seat_lock:<seatId>` → holdId (PX = hold left + grace), `hold:<holdId>` hash {scheduleId,
 * seatIds csv, expiresAt, deadline, holder?, claimed?}, `expiry` ZSET holdId → deadline, `held` / `reserved` sets,
 * `holder:<holder>` ZSET of that holder's hold ids (the hold cap), `version` counter, `loaded` sentinel (the
 * generation of this performance's reserved markers, new after every reload). Channel `<prefix>schedule:{<id>}:events`
 * (seat-event.ts), SPUBLISHed by the script that moves the version — version order and publish order are one order.
 *
 * Public status of a seat: reserved if in the reserved set, else held if in the held set, else available. A lock
 * (`seat_lock:<seatId>` → holdId) only blocks others while its hold is live (`deadline` > now); an expired hold's
 * seats stay in the held set until the sweeper frees them.
 */
export const prelude = `
local B, CHANNEL, S = ARGV[1], ARGV[2], ARGV[3]
local VERSION, HELD, RESERVED, EXPIRY, LOADED = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local A = {}
for i = 4, #ARGV do A[#A + 1] = ARGV[i] end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(n) return string.format('%d', n) end
local function hold_key(id) return B .. 'hold:' .. id end
local function lock_key(seat) return B .. 'seat_lock:' .. seat end
local function split(csv)
  local out = {}
  if csv then for part in string.gmatch(csv, '[^,]+') do out[#out + 1] = part end end
  return out
end
local function is_live(id, now)
  local d = redis.call('HGET', hold_key(id), 'deadline')
  return d and tonumber(d) > now
end
local function blocked(seat, id, now)
  if redis.call('SISMEMBER', RESERVED, seat) == 1 then return true end
  local owner = redis.call('GET', lock_key(seat))
  return owner and owner ~= id and is_live(owner, now) or false
end
local function change(changes, seat, status)
  changes[#changes + 1] = seat
  changes[#changes + 1] = status
end
local function take_seat(seat, id, px, changes)
  redis.call('SET', lock_key(seat), id, 'PX', int(px))
  if redis.call('SADD', HELD, seat) == 1 then change(changes, seat, 'held') end
end
-- Frees a seat of hold id unless another hold has taken it over since.
local function drop_seat(seat, id, changes)
  local owner = redis.call('GET', lock_key(seat))
  if owner and owner ~= id then return end
  if owner then redis.call('DEL', lock_key(seat)) end
  if redis.call('SREM', HELD, seat) == 1 and redis.call('SISMEMBER', RESERVED, seat) == 0 then
    change(changes, seat, 'available')
  end
end
-- Reserved wins over any hold: the database said so.
local function reserve_seat(seat, changes)
  redis.call('DEL', lock_key(seat))
  redis.call('SREM', HELD, seat)
  if redis.call('SADD', RESERVED, seat) == 1 then change(changes, seat, 'reserved') end
end
-- The event as JSON (ids are UUIDs and statuses fixed words, so nothing needs escaping), with its publish time
-- (publishedAt, ms) for the fan-out lag metric — clients never see that field (seat-event.ts) — on the performance's
-- shard channel: SPUBLISH reaches the subscribers of this slot's shard only (a single Redis: every subscriber).
local function announce(from, to, changes)
  local parts = {}
  for i = 1, #changes, 2 do
    parts[#parts + 1] = '{"seatId":"' .. changes[i] .. '","status":"' .. changes[i + 1] .. '"}'
  end
  redis.call('SPUBLISH', CHANNEL, '{"scheduleId":"' .. S .. '","fromVersion":' .. int(from) ..
    ',"version":' .. int(to) .. ',"changes":[' .. table.concat(parts, ',') .. '],"publishedAt":' .. int(now_ms()) .. '}')
end
-- Advances the version by one per change and publishes the event in the same step; the reply is {} or
-- {scheduleId, fromVersion, version, seat, status, ...}.
local function publish(changes)
  local n = #changes / 2
  if n == 0 then return {} end
  local v = redis.call('INCRBY', VERSION, n)
  announce(v - n, v, changes)
  local ev = { S, v - n, v }
  for i = 1, #changes do ev[#ev + 1] = changes[i] end
  return ev
end
-- After the version moved without an event (markers rebuilt): an empty event at the current version tells every
-- watcher behind it to resync.
local function notice()
  local v = tonumber(redis.call('GET', VERSION) or '0')
  announce(v, v, {})
end
local function delete_hold(id)
  local holder = redis.call('HGET', hold_key(id), 'holder')
  if holder then redis.call('ZREM', holder, id) end
  redis.call('DEL', hold_key(id))
  redis.call('ZREM', EXPIRY, id)
end
-- Hold cap (SPEC §11): the holds of one holder (client address or admission) in this performance.
local function holder_key(holder) return B .. 'holder:' .. holder end
-- Seats in the holder's live holds other than \`except\`, and the earliest deadline among them (nil if none).
-- Holds that ended are dropped from the set on the way.
local function holder_seats(hkey, now, except)
  local total, first = 0, nil
  for _, id in ipairs(redis.call('ZRANGE', hkey, 0, -1)) do
    local h = redis.call('HMGET', hold_key(id), 'seatIds', 'deadline')
    local deadline = tonumber(h[2])
    if not h[1] or deadline <= now then
      redis.call('ZREM', hkey, id)
    elseif id ~= except then
      total = total + #split(h[1])
      if not first or deadline < first then first = deadline end
    end
  end
  return total, first
end
`;
