import { prelude } from './lua-prelude.ts';

/**
 * Lua for the Redis hold store, one script per operation, each on one performance's keys; see lua-prelude.ts for the
 * call shape (KEYS, ARGV[1..3]) and the keys. `A[i]` below is the script's own i-th argument.
 */
const script = (body: string) => `${prelude}\n${body}`;

/**
 * A: holdId, ttlMs, graceMs, holder ('' = none), maxHeldSeats (0 = no cap), seatCount, seatId..., then the
 * orphan guard (hold-store.ts OrphanGuard) as triples seatId, left, right ('' = none)
 * → {'ok', expiresAt, event} | {'unavailable', seats} | {'exists'} | {'holder_limit', held, retryAfterMs}
 *   | {'orphan', seats}
 * The holder's cap is checked and its set updated here, so concurrent holds on any node cannot pass it.
 */
const create = script(`
local id, ttl, grace = A[1], tonumber(A[2]), tonumber(A[3])
local holder, max_held, last = A[4], tonumber(A[5]), 6 + tonumber(A[6])
local now = now_ms()
if redis.call('EXISTS', hold_key(id)) == 1 then return { 'exists' } end
local hkey = holder ~= '' and holder_key(holder) or nil
if hkey and max_held > 0 then
  local held, first = holder_seats(hkey, now, '')
  if held + last - 6 > max_held then return { 'holder_limit', held, (first or now + 1000) - now } end
end
local refused, chosen = {}, {}
for i = 7, last do
  chosen[A[i]] = true
  if blocked(A[i], id, now) then refused[#refused + 1] = A[i] end
end
if #refused > 0 then return { 'unavailable', refused } end
-- Orphan guard: a free seat whose neighbours would both be taken after this hold, and were not both before.
local function taken(seat) return seat == '' or blocked(seat, id, now) end
local stranded = {}
for i = last + 1, #A, 3 do
  local seat, left, right = A[i], A[i + 1], A[i + 2]
  if not chosen[seat] and not taken(seat) then
    local l, r = taken(left), taken(right)
    if (l or chosen[left]) and (r or chosen[right]) and not (l and r) then stranded[#stranded + 1] = seat end
  end
end
if #stranded > 0 then return { 'orphan', stranded } end
local expires = now + ttl
local seats, changes = {}, {}
for i = 7, last do
  seats[#seats + 1] = A[i]
  take_seat(A[i], id, ttl + grace, changes)
end
redis.call('HSET', hold_key(id), 'scheduleId', S, 'seatIds', table.concat(seats, ','),
  'expiresAt', int(expires), 'deadline', int(expires))
redis.call('ZADD', EXPIRY, int(expires), id)
if hkey then
  redis.call('HSET', hold_key(id), 'holder', hkey)
  redis.call('ZADD', hkey, int(expires), id)
  if redis.call('PTTL', hkey) < ttl + grace then redis.call('PEXPIRE', hkey, int(ttl + grace)) end
end
return { 'ok', expires, publish(changes) }
`);

/** A: holdId → {} | {scheduleId, expiresAt, seatId...} */
const get = script(`
local h = redis.call('HMGET', hold_key(A[1]), 'scheduleId', 'seatIds', 'expiresAt', 'deadline')
if not h[1] or tonumber(h[4]) <= now_ms() then return {} end
local out = { h[1], tonumber(h[3]) }
for _, seat in ipairs(split(h[2])) do out[#out + 1] = seat end
return out
`);

/**
 * A: holdId, graceMs, maxSeats (0 = no limit), maxHeldSeats (0 = no cap), addCount, add..., remove...
 * → {'ok', scheduleId, expiresAt, seats, event} | {'unavailable', seats} | {'not_found'} | {'too_many', n}
 *   | {'holder_limit', held, retryAfterMs}
 */
const modify = script(`
local id, grace, max_seats, max_held = A[1], tonumber(A[2]), tonumber(A[3]), tonumber(A[4])
local add_count = tonumber(A[5])
local now = now_ms()
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'expiresAt', 'deadline', 'holder')
if not h[1] or tonumber(h[4]) <= now then return { 'not_found' } end
local deadline = tonumber(h[4])
local current, owned = split(h[2]), {}
for _, seat in ipairs(current) do owned[seat] = true end
local add, refused = {}, {}
for i = 6, 5 + add_count do
  local seat = A[i]
  if not owned[seat] then
    add[#add + 1] = seat
    if blocked(seat, id, now) then refused[#refused + 1] = seat end
  end
end
if #refused > 0 then return { 'unavailable', refused } end
-- The seat limit and the holder's cap are checked here, atomically, so concurrent PATCHes cannot grow past them.
local removing = 0
for i = 6 + add_count, #A do
  if owned[A[i]] then removing = removing + 1 end
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
for i = 6 + add_count, #A do
  local seat = A[i]
  if owned[seat] then
    owned[seat] = nil
    drop_seat(seat, id, changes)
  end
end
local seats = {}
for _, seat in ipairs(current) do
  if owned[seat] then seats[#seats + 1] = seat end
end
for _, seat in ipairs(add) do
  seats[#seats + 1] = seat
  take_seat(seat, id, deadline - now + grace, changes)
end
redis.call('HSET', hold_key(id), 'seatIds', table.concat(seats, ','))
return { 'ok', h[1], tonumber(h[3]), seats, publish(changes) }
`);

/** A: holdId → event ({} when the hold was not live) */
const release = script(`
local id = A[1]
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'deadline')
if not h[1] or tonumber(h[3]) <= now_ms() then return {} end
local changes = {}
for _, seat in ipairs(split(h[2])) do drop_seat(seat, id, changes) end
delete_hold(id)
return publish(changes)
`);

/**
 * A: holdId, leaseMs, graceMs → {} | {scheduleId, expiresAt, seatId...}
 * The fence: a hold that is not live or lost any seat is refused. Otherwise its deadline (expiry index score
 * and lock TTLs) moves to at least now + lease, so no sweeper frees it while the booking commits.
 */
const claim = script(`
local id, lease, grace = A[1], tonumber(A[2]), tonumber(A[3])
local now = now_ms()
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds', 'expiresAt', 'deadline')
if not h[1] or tonumber(h[4]) <= now then return {} end
local deadline, seats = tonumber(h[4]), split(h[2])
for _, seat in ipairs(seats) do
  if redis.call('GET', lock_key(seat)) ~= id then return {} end
  if redis.call('SISMEMBER', RESERVED, seat) == 1 then return {} end
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
local out = { h[1], tonumber(h[3]) }
for _, seat in ipairs(seats) do out[#out + 1] = seat end
return out
`);

/**
 * A: holdId, seatId... → event
 * The booked seats become reserved whatever became of the hold; its other seats (if any) are freed.
 */
const consume = script(`
local id = A[1]
local h = redis.call('HMGET', hold_key(id), 'scheduleId', 'seatIds')
local booked, changes = {}, {}
for i = 2, #A do booked[A[i]] = true end
if h[1] then
  for _, seat in ipairs(split(h[2])) do
    if not booked[seat] then drop_seat(seat, id, changes) end
  end
  delete_hold(id)
end
for i = 2, #A do reserve_seat(A[i], changes) end
return publish(changes)
`);

/** A: seatId... → event */
const markReserved = script(`
local changes = {}
for i = 1, #A do reserve_seat(A[i], changes) end
return publish(changes)
`);

/** A: seatId... → event. Only seats that were reserved change. */
const markAvailable = script(`
local changes = {}
for i = 1, #A do
  local seat = A[i]
  if redis.call('SREM', RESERVED, seat) == 1 then
    if redis.call('SISMEMBER', HELD, seat) == 1 then
      change(changes, seat, 'held')
    else
      change(changes, seat, 'available')
    end
  end
end
return publish(changes)
`);

/** → {version, held, reserved} */
const states = script(`
local version = tonumber(redis.call('GET', VERSION) or '0')
return { version, redis.call('SDIFF', HELD, RESERVED), redis.call('SMEMBERS', RESERVED) }
`);

/** → {held, reserved}: the sizes of what `states` lists, without the lists */
const counts = script(`
local reserved = redis.call('SCARD', RESERVED)
local held = redis.call('SCARD', HELD) - redis.call('SINTERCARD', 2, HELD, RESERVED)
return { held, reserved }
`);

/** A: seatId... → the seats a new hold would be refused (reserved or live-locked) */
const unavailable = script(`
local now, out = now_ms(), {}
for i = 1, #A do
  if blocked(A[i], '', now) then out[#out + 1] = A[i] end
end
return out
`);

/** Frees the seats of expired holds in one event, published; `reserved` seats become reserved instead. */
const releaseExpired = `
local function release_expired(ids, reserved)
  local changes = {}
  for _, id in ipairs(ids) do
    local h = redis.call('HGET', hold_key(id), 'seatIds')
    if h then
      for _, seat in ipairs(split(h)) do
        if reserved[seat] then reserve_seat(seat, changes) else drop_seat(seat, id, changes) end
      end
    end
    delete_hold(id)
  end
  return publish(changes)
end
`;

/**
 * A: limit → {generation, event, claimed, left} with claimed = {holdId, seatIds csv, …} and left = how many holds
 * the expiry index still has (0: the performance may leave the sweep directory, sweep-directory.ts).
 * Releases up to `limit` holds whose deadline has passed; ZREM inside the script is what makes release exactly-once
 * when several nodes sweep at the same time. A hold that was claimed (its booking started, then its lease ran out)
 * is left for `sweepClaimed`: the database may have booked it (its node died before consuming), so its seats are
 * checked there first. The generation (the sentinel's value) lets every node notice that another one rebuilt the
 * markers (recovery.ts).
 */
const sweep = script(`${releaseExpired}
local now = now_ms()
local unclaimed, claimed = {}, {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', int(now), 'LIMIT', 0, tonumber(A[1]))) do
  local h = redis.call('HMGET', hold_key(id), 'claimed', 'seatIds')
  if h[1] then
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = h[2]
  else
    unclaimed[#unclaimed + 1] = id
  end
end
local event = release_expired(unclaimed, {})
return { redis.call('GET', LOADED), event, claimed, redis.call('ZCARD', EXPIRY) }
`);

/**
 * A: holdCount, holdId..., reservedSeatId... → event.
 * Releases the claimed holds `sweep` left, those still due; seats the database has reserved become reserved.
 */
const sweepClaimed = script(`${releaseExpired}
local now, count = now_ms(), tonumber(A[1])
local reserved, due = {}, {}
for i = 2 + count, #A do reserved[A[i]] = true end
for i = 2, 1 + count do
  local deadline = tonumber(redis.call('ZSCORE', EXPIRY, A[i]))
  if deadline and deadline <= now then due[#due + 1] = A[i] end
end
return release_expired(due, reserved)
`);

/**
 * A: JSON [seatId...], versionFloor (-1 = none), generation → number of seats whose status changed.
 * Replaces the performance's reserved set, drops holds on seats it marks reserved and sets its sentinel to the new
 * generation. A version at or below the floor is first raised to floor + 1, so versions never go backwards. When
 * the version moved, a notice (an empty event at the version) tells watchers to resync at once.
 */
const loadReserved = script(`
local floor, moved = tonumber(A[2]), false
if floor >= 0 and (tonumber(redis.call('GET', VERSION)) or 0) <= floor then
  redis.call('SET', VERSION, floor + 1)
  moved = true
end
local want, changes = {}, {}
local seats = cjson.decode(A[1])
for _, seat in ipairs(seats) do want[seat] = true end
for _, seat in ipairs(redis.call('SMEMBERS', RESERVED)) do
  if not want[seat] then
    redis.call('SREM', RESERVED, seat)
    change(changes, seat, 'available')
  end
end
for _, seat in ipairs(seats) do reserve_seat(seat, changes) end
if #changes > 0 then
  redis.call('INCRBY', VERSION, #changes / 2)
  moved = true
end
redis.call('SET', LOADED, A[3])
if moved then notice() end
return #changes / 2
`);

/**
 * A: known generation, versionFloor → the current generation.
 * When the markers were rebuilt (by any node) since this node last looked, the counter may have restarted: a
 * version at or below this node's floor is raised to floor + 1, with a notice.
 */
const raiseFloors = script(`
local generation = redis.call('GET', LOADED)
if not generation then return redis.error_reply('NOT_LOADED reserved markers must be reloaded') end
local floor = tonumber(A[2])
if generation ~= A[1] and floor >= 0 and (tonumber(redis.call('GET', VERSION)) or 0) <= floor then
  redis.call('SET', VERSION, floor + 1)
  notice()
end
return generation
`);

/** → the performance's version */
const version = script(`
return tonumber(redis.call('GET', VERSION) or '0')
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

/**
 * Scripts that read or move a performance's version or its reserved markers, and so must not run on a store that
 * lost its data.
 */
export const versionedScripts: readonly HoldScriptName[] = [
  'create',
  'modify',
  'release',
  'consume',
  'markReserved',
  'markAvailable',
  'states',
  'counts',
  'unavailable',
  'sweep',
  'sweepClaimed',
  'version',
];

/**
 * The same script, refusing with a `NOT_LOADED` error while the performance's reserved markers are missing (its
 * Redis — or its cluster shard — restarted empty, or nobody loaded them yet): the caller loads them — raising the
 * version above what watchers have seen — and retries.
 */
export function requireLoaded(lua: string): string {
  return lua.replace(
    prelude,
    `${prelude}\nif redis.call('EXISTS', LOADED) == 0 then return redis.error_reply('NOT_LOADED reserved markers must be reloaded') end`,
  );
}
