import { prelude } from './lua-prelude.ts';

/** Lua for the Redis hold store, one script per operation; see lua-prelude.ts for keys and statuses. */
const script = (body: string) => `${prelude}\n${body}`;

/**
 * ARGV: prefix, holdId, scheduleId, ttlMs, graceMs, holder ('' = none), maxHeldSeats (0 = no cap), seatCount,
 * seatId..., then the orphan guard (hold-store.ts OrphanGuard) as triples seatId, left, right ('' = none)
 * → {'ok', expiresAt, event} | {'unavailable', seats} | {'exists'} | {'holder_limit', held, retryAfterMs}
 *   | {'orphan', seats}
 * The holder's cap is checked and its set updated here, so concurrent holds on any node cannot pass it.
 */
const create = script(`
local id, schedule, ttl, grace = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local holder, max_held, last = ARGV[6], tonumber(ARGV[7]), 8 + tonumber(ARGV[8])
local now = now_ms()
if redis.call('EXISTS', hold_key(id)) == 1 then return { 'exists' } end
local hkey = holder ~= '' and holder_key(schedule, holder) or nil
if hkey and max_held > 0 then
  local held, first = holder_seats(hkey, now, '')
  if held + last - 8 > max_held then return { 'holder_limit', held, (first or now + 1000) - now } end
end
local refused, chosen = {}, {}
for i = 9, last do
  chosen[ARGV[i]] = true
  if blocked(schedule, ARGV[i], id, now) then refused[#refused + 1] = ARGV[i] end
end
if #refused > 0 then return { 'unavailable', refused } end
-- Orphan guard: a free seat whose neighbours would both be taken after this hold, and were not both before.
local function taken(seat) return seat == '' or blocked(schedule, seat, id, now) end
local stranded = {}
for i = last + 1, #ARGV, 3 do
  local seat, left, right = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if not chosen[seat] and not taken(seat) then
    local l, r = taken(left), taken(right)
    if (l or chosen[left]) and (r or chosen[right]) and not (l and r) then stranded[#stranded + 1] = seat end
  end
end
if #stranded > 0 then return { 'orphan', stranded } end
local expires = now + ttl
local seats, changes = {}, {}
for i = 9, last do
  seats[#seats + 1] = ARGV[i]
  take_seat(schedule, ARGV[i], id, ttl + grace, changes)
end
redis.call('HSET', hold_key(id), 'scheduleId', schedule, 'seatIds', table.concat(seats, ','),
  'expiresAt', int(expires), 'deadline', int(expires))
redis.call('ZADD', EXPIRY, int(expires), id)
if hkey then
  redis.call('HSET', hold_key(id), 'holder', hkey)
  redis.call('ZADD', hkey, int(expires), id)
  if redis.call('PTTL', hkey) < ttl + grace then redis.call('PEXPIRE', hkey, int(ttl + grace)) end
end
return { 'ok', expires, publish(schedule, changes) }
`);

/** ARGV: prefix, holdId → {} | {scheduleId, expiresAt, seatId...} */
const get = script(`
local id = ARGV[2]
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'expiresAt', 'deadline')
if not h[1] or tonumber(h[4]) <= now_ms() then return {} end
local out = { h[1], tonumber(h[3]) }
for _, seat in ipairs(split(h[2])) do out[#out + 1] = seat end
return out
`);

/**
 * ARGV: prefix, holdId, graceMs, maxSeats (0 = no limit), maxHeldSeats (0 = no cap), addCount, add..., remove...
 * → {'ok', scheduleId, expiresAt, seats, event} | {'unavailable', seats} | {'not_found'} | {'too_many', n}
 *   | {'holder_limit', held, retryAfterMs}
 */
const modify = script(`
local id, grace, max_seats, max_held = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local add_count = tonumber(ARGV[6])
local now = now_ms()
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'expiresAt', 'deadline', 'holder')
if not h[1] or tonumber(h[4]) <= now then return { 'not_found' } end
local schedule, deadline = h[1], tonumber(h[4])
local current, owned = split(h[2]), {}
for _, seat in ipairs(current) do owned[seat] = true end
local add, refused = {}, {}
for i = 7, 6 + add_count do
  local seat = ARGV[i]
  if not owned[seat] then
    add[#add + 1] = seat
    if blocked(schedule, seat, id, now) then refused[#refused + 1] = seat end
  end
end
if #refused > 0 then return { 'unavailable', refused } end
-- The seat limit and the holder's cap are checked here, atomically, so concurrent PATCHes cannot grow past them.
local removing = 0
for i = 7 + add_count, #ARGV do
  if owned[ARGV[i]] then removing = removing + 1 end
end
local total = #current - removing + #add
if max_seats > 0 and total > max_seats then return { 'too_many', total } end
if h[5] and max_held > 0 and #add > 0 then
  local others, first = holder_seats(h[5], now, id)
  if others + total > max_held then
    return { 'holder_limit', others + #current, math.min(first or deadline, deadline) - now }
  end
end
local changes = {}
for i = 7 + add_count, #ARGV do
  local seat = ARGV[i]
  if owned[seat] then
    owned[seat] = nil
    drop_seat(schedule, seat, id, changes)
  end
end
local seats = {}
for _, seat in ipairs(current) do
  if owned[seat] then seats[#seats + 1] = seat end
end
for _, seat in ipairs(add) do
  seats[#seats + 1] = seat
  take_seat(schedule, seat, id, deadline - now + grace, changes)
end
redis.call('HSET', hold_key(id), 'seatIds', table.concat(seats, ','))
return { 'ok', schedule, tonumber(h[3]), seats, publish(schedule, changes) }
`);

/** ARGV: prefix, holdId → event ({} when the hold was not live) */
const release = script(`
local id = ARGV[2]
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'deadline')
if not h[1] or tonumber(h[3]) <= now_ms() then return {} end
local changes = {}
for _, seat in ipairs(split(h[2])) do drop_seat(h[1], seat, id, changes) end
delete_hold(id)
return publish(h[1], changes)
`);

/**
 * ARGV: prefix, holdId, leaseMs, graceMs → {} | {scheduleId, expiresAt, seatId...}
 * The fence: a hold that is not live or lost any seat is refused. Otherwise its deadline (expiry index score
 * and lock TTLs) moves to at least now + lease, so no sweeper frees it while the booking commits.
 */
const claim = script(`
local id, lease, grace = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'expiresAt', 'deadline')
if not h[1] or tonumber(h[4]) <= now then return {} end
local schedule, deadline, seats = h[1], tonumber(h[4]), split(h[2])
for _, seat in ipairs(seats) do
  if redis.call('GET', lock_key(seat)) ~= id then return {} end
  if redis.call('SISMEMBER', reserved_key(schedule), seat) == 1 then return {} end
end
redis.call('HSET', hold_key(id), 'claimed', '1')
if now + lease > deadline then
  deadline = now + lease
  redis.call('HSET', hold_key(id), 'deadline', int(deadline))
  redis.call('ZADD', EXPIRY, int(deadline), id)
end
local px = deadline - now + grace
for _, seat in ipairs(seats) do
  if redis.call('PTTL', lock_key(seat)) < px then redis.call('PEXPIRE', lock_key(seat), int(px)) end
end
local out = { schedule, tonumber(h[3]) }
for _, seat in ipairs(seats) do out[#out + 1] = seat end
return out
`);

/**
 * ARGV: prefix, holdId, scheduleId, seatId... → event | {'mismatch'}
 * The booked seats become reserved whatever became of the hold; its other seats (if any) are freed.
 */
const consume = script(`
local id, schedule = ARGV[2], ARGV[3]
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds')
if h[1] and h[1] ~= schedule then return { 'mismatch' } end
local booked, changes = {}, {}
for i = 4, #ARGV do booked[ARGV[i]] = true end
if h[1] then
  for _, seat in ipairs(split(h[2])) do
    if not booked[seat] then drop_seat(schedule, seat, id, changes) end
  end
  delete_hold(id)
end
for i = 4, #ARGV do reserve_seat(schedule, ARGV[i], changes) end
return publish(schedule, changes)
`);

/** ARGV: prefix, scheduleId, seatId... → event */
const markReserved = script(`
local schedule, changes = ARGV[2], {}
for i = 3, #ARGV do reserve_seat(schedule, ARGV[i], changes) end
return publish(schedule, changes)
`);

/** ARGV: prefix, scheduleId, seatId... → event. Only seats that were reserved change. */
const markAvailable = script(`
local schedule, changes = ARGV[2], {}
for i = 3, #ARGV do
  local seat = ARGV[i]
  if redis.call('SREM', reserved_key(schedule), seat) == 1 then
    if redis.call('SISMEMBER', held_key(schedule), seat) == 1 then
      change(changes, seat, 'held')
    else
      change(changes, seat, 'available')
    end
  end
end
return publish(schedule, changes)
`);

/** ARGV: prefix, scheduleId → {version, held, reserved} */
const states = script(`
local schedule = ARGV[2]
local version = tonumber(redis.call('GET', version_key(schedule)) or '0')
return { version, redis.call('SDIFF', held_key(schedule), reserved_key(schedule)),
  redis.call('SMEMBERS', reserved_key(schedule)) }
`);

/** ARGV: prefix, scheduleId → {held, reserved}: the sizes of what `states` lists, without the lists */
const counts = script(`
local schedule = ARGV[2]
local reserved = redis.call('SCARD', reserved_key(schedule))
local held = redis.call('SCARD', held_key(schedule)) - redis.call('SINTERCARD', 2, held_key(schedule), reserved_key(schedule))
return { held, reserved }
`);

/** ARGV: prefix, scheduleId, seatId... → the seats a new hold would be refused (reserved or live-locked) */
const unavailable = script(`
local schedule, now, out = ARGV[2], now_ms(), {}
for i = 3, #ARGV do
  if blocked(schedule, ARGV[i], '', now) then out[#out + 1] = ARGV[i] end
end
return out
`);

/** Frees the seats of expired holds, one event per schedule, published; `reserved` seats become reserved instead. */
const releaseExpired = `
local function release_expired(ids, reserved)
  local by_schedule, order = {}, {}
  for _, id in ipairs(ids) do
    local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds')
    if h[1] then
      local changes = by_schedule[h[1]]
      if not changes then
        changes = {}
        by_schedule[h[1]] = changes
        order[#order + 1] = h[1]
      end
      for _, seat in ipairs(split(h[2])) do
        if reserved[seat] then reserve_seat(h[1], seat, changes) else drop_seat(h[1], seat, id, changes) end
      end
    end
    delete_hold(id)
  end
  local events = {}
  for _, schedule in ipairs(order) do
    local ev = publish(schedule, by_schedule[schedule])
    if #ev > 0 then events[#events + 1] = ev end
  end
  return events
end
`;

/**
 * ARGV: prefix, limit → {generation, events, claimed} with claimed = {holdId, seatIds csv, …}.
 * Releases up to `limit` holds whose deadline has passed; ZREM inside the script is what makes release exactly-once
 * when several nodes sweep at the same time. A hold that was claimed (its booking started, then its lease ran out)
 * is left for `sweepClaimed`: the database may have booked it (its node died before consuming), so its seats are
 * checked there first. The generation (the sentinel's value) lets every node notice that another one rebuilt the
 * markers (recovery.ts).
 */
const sweep = script(`${releaseExpired}
local now = now_ms()
local unclaimed, claimed = {}, {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', int(now), 'LIMIT', 0, tonumber(ARGV[2]))) do
  local h = redis.call('HMGET', hold_key(id), 'claimed', 'seatIds')
  if h[1] then
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = h[2]
  else
    unclaimed[#unclaimed + 1] = id
  end
end
return { redis.call('GET', LOADED), release_expired(unclaimed, {}), claimed }
`);

/**
 * ARGV: prefix, holdCount, holdId..., reservedSeatId... → events, one per schedule.
 * Releases the claimed holds `sweep` left, those still due; seats the database has reserved become reserved.
 */
const sweepClaimed = script(`${releaseExpired}
local now, count = now_ms(), tonumber(ARGV[2])
local reserved, due = {}, {}
for i = 3 + count, #ARGV do reserved[ARGV[i]] = true end
for i = 3, 2 + count do
  local deadline = tonumber(redis.call('ZSCORE', EXPIRY, ARGV[i]))
  if deadline and deadline <= now then due[#due + 1] = ARGV[i] end
end
return release_expired(due, reserved)
`);

/**
 * ARGV: prefix, JSON {scheduleId: [seatId...]}, JSON {scheduleId: versionFloor}, generation → number of seats
 * whose status changed. Replaces the reserved sets of the given schedules, drops holds on seats it marks reserved
 * and sets the sentinel to the new generation. A version at or below its floor is first raised to floor + 1, so
 * versions never go backwards. Every schedule whose version moved gets a notice (an empty event at its version), so
 * watchers resync at once.
 */
const loadReserved = script(`
local moved = {}
for schedule, floor in pairs(cjson.decode(ARGV[3])) do
  if (tonumber(redis.call('GET', version_key(schedule))) or 0) <= floor then
    redis.call('SET', version_key(schedule), floor + 1)
    moved[schedule] = true
  end
end
local total = 0
for schedule, seats in pairs(cjson.decode(ARGV[2])) do
  local want, changes = {}, {}
  for _, seat in ipairs(seats) do want[seat] = true end
  for _, seat in ipairs(redis.call('SMEMBERS', reserved_key(schedule))) do
    if not want[seat] then
      redis.call('SREM', reserved_key(schedule), seat)
      change(changes, seat, 'available')
    end
  end
  for _, seat in ipairs(seats) do reserve_seat(schedule, seat, changes) end
  if #changes > 0 then
    redis.call('INCRBY', version_key(schedule), #changes / 2)
    moved[schedule] = true
  end
  total = total + #changes / 2
end
redis.call('SET', LOADED, ARGV[4])
for schedule in pairs(moved) do notice(schedule) end
return total
`);

/**
 * ARGV: prefix, known generation, JSON {scheduleId: versionFloor} → the current generation.
 * When the markers were rebuilt (by any node) since this node last looked, the counters may have restarted: each
 * version at or below this node's floor is raised to floor + 1, with a notice.
 */
const raiseFloors = script(`
local generation = redis.call('GET', LOADED)
if not generation then return redis.error_reply('NOT_LOADED reserved markers must be reloaded') end
if generation ~= ARGV[2] then
  for schedule, floor in pairs(cjson.decode(ARGV[3])) do
    if (tonumber(redis.call('GET', version_key(schedule))) or 0) <= floor then
      redis.call('SET', version_key(schedule), floor + 1)
      notice(schedule)
    end
  end
end
return generation
`);

/** ARGV: prefix, scheduleId → the schedule's version */
const version = script(`
return tonumber(redis.call('GET', version_key(ARGV[2])) or '0')
`);

export const holdScripts = {
  create,
  get,
  modify,
  release,
  claim,
  consume,
  markReserved,
  markAvailable,
  states,
  counts,
  unavailable,
  sweep,
  sweepClaimed,
  loadReserved,
  raiseFloors,
  version,
} as const;

export type HoldScriptName = keyof typeof holdScripts;

/** Scripts that read or move a schedule's version, and so must not run on a store that lost its data. */
export const versionedScripts: readonly HoldScriptName[] = [
  'create',
  'modify',
  'release',
  'consume',
  'markReserved',
  'markAvailable',
  'states',
  'counts',
  'sweep',
  'sweepClaimed',
  'version',
];

/**
 * The same script, refusing with a `NOT_LOADED` error while the reserved markers are missing (Redis restarted
 * empty): the caller reloads them — raising the version counters above what watchers have seen — and retries.
 */
export function requireLoaded(lua: string): string {
  return lua.replace(
    prelude,
    `${prelude}\nif redis.call('EXISTS', LOADED) == 0 then return redis.error_reply('NOT_LOADED reserved markers must be reloaded') end`,
  );
}
