import { BURST_MS, FIFO_BASE } from './queue-store.ts';

/**
 * Lua for the Redis queue store. Every script gets the concert's seven keys (one hash tag, so a Redis Cluster keeps
 * them in one slot) and ARGV[1] = the caller's clock in ms, or '' for Redis `TIME`. A missing meta hash means the
 * state was never armed or was lost: every script but `arm` then fails with NOT_ARMED (the queue fails closed).
 *
 * Keys: meta HASH {secret, opened, seq, tat, admitted, expired}; q ZSET member → sort key (pre-queue keys are
 * random integers < 2^52, later arrivals 2^52 + seq); admitted HASH member → token; adm HASH token →
 * "state|expiresAt|holdId|holdUntil|member"; active ZSET token → expiresAt; log ZSET member → admittedAt (last
 * minute only); used ZSET challengeId → expiresAt.
 */
const prelude = `
local META, Q, ADMITTED, ADM, ACTIVE, LOG, USED = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local NOW
if ARGV[1] ~= '' then NOW = tonumber(ARGV[1]) else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local FIFO_BASE = ${FIFO_BASE}
local function int(n) return string.format('%.0f', n) end
local function require_armed()
  if redis.call('EXISTS', META) == 0 then error({ err = 'NOT_ARMED queue state missing' }) end
end
local function opened(opens_at)
  if redis.call('HGET', META, 'opened') == '1' then return true end
  if NOW < opens_at then return false end
  redis.call('HSET', META, 'opened', '1')
  return true
end
local function parse(rec)
  local s, e, h, u, m = string.match(rec, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  return { state = s, expires = tonumber(e), hold = h, until_ = tonumber(u), member = m }
end
local function pack(a)
  return a.state .. '|' .. int(a.expires) .. '|' .. a.hold .. '|' .. int(a.until_) .. '|' .. a.member
end
local function real_hold(h)
  if h ~= '' and string.sub(h, 1, 8) ~= 'pending:' then return h end
  return nil
end
local function last_minute()
  redis.call('ZREMRANGEBYSCORE', LOG, '-inf', int(NOW - 60000))
  return redis.call('ZCARD', LOG)
end
local function view(member, is_open)
  if redis.call('ZSCORE', Q, member) then
    local ahead = -1
    if is_open then ahead = redis.call('ZRANK', Q, member) end
    return { 'waiting', int(NOW), ahead, redis.call('ZCARD', Q),
      redis.call('ZCOUNT', ACTIVE, '(' .. int(NOW), '+inf'), last_minute() }
  end
  local token = redis.call('HGET', ADMITTED, member)
  if not token then return { 'unknown', int(NOW) } end
  local a = parse(redis.call('HGET', ADM, token))
  if a.state == 'active' and a.expires > NOW then return { 'admitted', int(NOW), token, int(a.expires) } end
  return { 'closed', int(NOW) }
end
`;

const script = (body: string) => `${prelude}\n${body}`;

export const queueScripts = {
  // ARGV: now, secret
  arm: script(`
if redis.call('EXISTS', META) == 1 then return 0 end
redis.call('DEL', Q, ADMITTED, ADM, ACTIVE, LOG, USED)
redis.call('HSET', META, 'secret', ARGV[2], 'opened', '0', 'seq', '0', 'tat', '0', 'admitted', '0', 'expired', '0')
return 1`),

  // ARGV: now, opensAt, member, preQueueKey
  join: script(`
require_armed()
local member = ARGV[3]
if redis.call('ZSCORE', Q, member) or redis.call('HEXISTS', ADMITTED, member) == 1 then
  return redis.error_reply('ticket already exists')
end
local is_open = opened(tonumber(ARGV[2]))
local key
if is_open then key = FIFO_BASE + redis.call('HINCRBY', META, 'seq', 1) else key = tonumber(ARGV[4]) end
redis.call('ZADD', Q, int(key), member)
return view(member, is_open)`),

  // ARGV: now, opensAt, member
  view: script(`
require_armed()
return view(ARGV[3], opened(tonumber(ARGV[2])))`),

  // ARGV: now, member
  leave: script(`
require_armed()
local member = ARGV[2]
if redis.call('ZREM', Q, member) == 1 then return { 'waiting', '' } end
local token = redis.call('HGET', ADMITTED, member)
if not token then return { 'unknown' } end
local a = parse(redis.call('HGET', ADM, token))
if a.state ~= 'active' or a.expires <= NOW then return { 'closed', '' } end
a.state = 'left'
redis.call('HSET', ADM, token, pack(a))
redis.call('ZREM', ACTIVE, token)
return { 'admitted', real_hold(a.hold) or '' }`),

  // ARGV: now, opensAt, admitPerMinute, maxActive, sessionMs, paused (0/1), limit, seed
  admit: script(`
require_armed()
local limit = tonumber(ARGV[7])
local holds = {}
local due = redis.call('ZRANGEBYSCORE', ACTIVE, '-inf', int(NOW), 'LIMIT', 0, limit)
for _, token in ipairs(due) do
  redis.call('ZREM', ACTIVE, token)
  local a = parse(redis.call('HGET', ADM, token))
  a.state = 'expired'
  redis.call('HSET', ADM, token, pack(a))
  local h = real_hold(a.hold)
  if h then holds[#holds + 1] = h end
end
if #due > 0 then redis.call('HINCRBY', META, 'expired', #due) end
if not opened(tonumber(ARGV[2])) or ARGV[6] == '1' then return { 0, holds } end
local per_minute, max_active, session = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local interval = 60000 / per_minute
local tat = tonumber(redis.call('HGET', META, 'tat')) or 0
if tat < NOW then tat = NOW end
local n = math.floor((NOW + ${BURST_MS} - tat) / interval) + 1
n = math.min(n, per_minute - last_minute(), max_active - redis.call('ZCARD', ACTIVE), limit)
if n <= 0 then return { 0, holds } end
local popped = redis.call('ZPOPMIN', Q, n)
local admitted = 0
for i = 1, #popped, 2 do
  local member = popped[i]
  local token = redis.sha1hex(ARGV[8] .. member)
  redis.call('HSET', ADMITTED, member, token)
  redis.call('HSET', ADM, token, pack({ state = 'active', expires = NOW + session, hold = '', until_ = 0, member = member }))
  redis.call('ZADD', ACTIVE, int(NOW + session), token)
  redis.call('ZADD', LOG, int(NOW), member)
  admitted = admitted + 1
end
if admitted > 0 then
  redis.call('HSET', META, 'tat', int(tat + admitted * interval))
  redis.call('HINCRBY', META, 'admitted', admitted)
end
return { admitted, holds }`),

  // ARGV: now, token
  admission: script(`
require_armed()
local rec = redis.call('HGET', ADM, ARGV[2])
if not rec then return {} end
local a = parse(rec)
if a.state == 'active' and a.expires <= NOW then a.state = 'expired' end
return { a.state, int(a.expires), a.hold, int(a.until_), a.member, int(NOW) }`),

  // ARGV: now, token, expected, next, holdUntil
  setHold: script(`
require_armed()
local rec = redis.call('HGET', ADM, ARGV[2])
if not rec then return 0 end
local a = parse(rec)
if a.state ~= 'active' or a.expires <= NOW or a.hold ~= ARGV[3] then return 0 end
a.hold = ARGV[4]
a.until_ = tonumber(ARGV[5])
redis.call('HSET', ADM, ARGV[2], pack(a))
return 1`),

  // ARGV: now, token, reason
  endAdmission: script(`
require_armed()
local rec = redis.call('HGET', ADM, ARGV[2])
if not rec then return 0 end
local a = parse(rec)
if a.state ~= 'active' or a.expires <= NOW then return 0 end
a.state = ARGV[3]
redis.call('HSET', ADM, ARGV[2], pack(a))
redis.call('ZREM', ACTIVE, ARGV[2])
return 1`),

  // ARGV: now
  stats: script(`
require_armed()
local live = redis.call('ZCOUNT', ACTIVE, '(' .. int(NOW), '+inf')
local due = redis.call('ZCARD', ACTIVE) - live
return { redis.call('ZCARD', Q), live, tonumber(redis.call('HGET', META, 'admitted')) or 0, last_minute(),
  (tonumber(redis.call('HGET', META, 'expired')) or 0) + due }`),

  // ARGV: now, challengeId, expiresAt
  useChallenge: script(`
require_armed()
redis.call('ZREMRANGEBYSCORE', USED, '-inf', int(NOW))
return redis.call('ZADD', USED, 'NX', ARGV[3], ARGV[2])`),
};

export type QueueScriptName = keyof typeof queueScripts;
