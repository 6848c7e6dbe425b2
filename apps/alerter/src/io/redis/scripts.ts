import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * The Lua scripts of Redis mode. Each one is a single atomic step on the
 * server; every key it touches is passed in KEYS and lives under one hash
 * tag, so they run unchanged on Redis Cluster.
 */
export interface Script {
  readonly name: string;
  readonly text: string;
  readonly sha: string;
}

const script = (name: string, body: string): Script => {
  const text = `#!lua\n-- ${name}\n${body}`;
  return { name, text, sha: createHash("sha1").update(text).digest("hex") };
};

/** Runs a script by its SHA, loading it once when the server does not know it. */
export async function runScript(
  redis: Redis,
  s: Script,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return redis.eval(s.text, keys.length, ...keys, ...args);
  }
}

/**
 * Dedupe and append in one step. KEYS: seq counter, stream, dedupe bucket
 * index, dedupe-since marker. ARGV: key prefix (`{p}:`), horizon ms,
 * buckets per horizon, receivedAt, then the batch's n event ids, then its n
 * encoded events (JSON objects) in the same order.
 *
 * Dedupe: the ids live in sets, one per bucket of `span` = horizon /
 * buckets (rounded up to the ms), on the server's clock; an id first seen
 * at time t goes into the bucket of t, which counts until (its end +
 * horizon rounded up to whole buckets). So an id is remembered for at least
 * the horizon and at most the horizon plus one bucket. The index (a sorted
 * set) holds each live bucket's key scored by when it stops counting; an id
 * is a duplicate if it is in any of them (one SINTERCARD per bucket, and
 * SMISMEMBER only for a bucket that holds some), and a bucket past its time
 * is unlinked by the next call (freed off Redis's main thread), its expiry
 * one bucket later only a backstop. A repeat does not renew an id. A change of the horizon applies
 * to the ids stored after it. An id repeated inside a batch counts once.
 *
 * Upgrade from one key per id (`{p}:id:<id>`): the first call notes when
 * the buckets started (0 when the deployment had never ingested), and for
 * one horizon after that an id with an older per-id key is a duplicate too;
 * those keys expire on their own within that horizon.
 *
 * Append: the new events of the batch take the next seqs in order and go
 * into one stream entry: its id is the batch's last seq, `f` its first seq,
 * `b` the events as one JSON array (one entry per batch instead of one per
 * event: the evaluator and each standby read and parse a thousand events at
 * once), `r` receivedAt. Returns the seq given to each event, 0 for a
 * duplicate.
 */
export const INGEST = script(
  "sipcodes_ingest",
  `local prefix, horizon, received = ARGV[1], tonumber(ARGV[2]), ARGV[4]
local n = (#ARGV - 4) / 2
local span = math.max(1, math.ceil(horizon / tonumber(ARGV[3])))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = math.floor(now / span)
local ends = (b + math.ceil(horizon / span) + 1) * span
local current = prefix .. 'dedupe:' .. string.format('%d', span) .. ':' .. string.format('%d', b)
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
if #old > 0 then
  for i = 1, #old, 1000 do redis.call('UNLINK', unpack(old, i, math.min(i + 999, #old))) end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
end
local out, pos, ids, seen = {}, {}, {}, {}
for i = 1, n do
  local id = ARGV[4 + i]
  out[i] = 0
  if not seen[id] then
    seen[id] = true
    pos[#pos + 1] = i
    ids[#ids + 1] = id
  end
end
-- Keeps the ids whose hit is 0 (the lists are rebuilt only when some id was found).
local function keep(hits)
  local p, d = {}, {}
  for k = 1, #ids do
    if hits[k] == 0 then
      p[#p + 1] = pos[k]
      d[#d + 1] = ids[k]
    end
  end
  pos, ids = p, d
end
-- The batch's ids as a set of their own, so that one SINTERCARD per bucket (in C, no reply per
-- id) says whether any is there; only then SMISMEMBER says which. The set never leaves the
-- script, so it is neither replicated nor written to the AOF.
local batch = prefix .. 'dedupe:batch'
redis.set_repl(redis.REPL_NONE)
for from = 1, #ids, 1000 do
  redis.call('SADD', batch, unpack(ids, from, math.min(from + 999, #ids)))
end
for _, key in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if #ids == 0 then break end
  if redis.call('SINTERCARD', 2, batch, key, 'LIMIT', 1) > 0 then
    local hits, found = {}, {}
    for from = 1, #ids, 1000 do
      local r = redis.call('SMISMEMBER', key, unpack(ids, from, math.min(from + 999, #ids)))
      for k = 1, #r do
        hits[from + k - 1] = r[k]
        if r[k] == 1 then found[#found + 1] = ids[from + k - 1] end
      end
    end
    for from = 1, #found, 1000 do
      redis.call('SREM', batch, unpack(found, from, math.min(from + 999, #found)))
    end
    keep(hits)
  end
end
redis.call('DEL', batch)
redis.set_repl(redis.REPL_ALL)
local since = redis.call('GET', KEYS[4])
if not since then
  since = redis.call('EXISTS', KEYS[1]) == 1 and now or 0
  redis.call('SET', KEYS[4], string.format('%d', since))
end
if now < tonumber(since) + horizon and #ids > 0 then
  local hits = {}
  for k = 1, #ids do hits[k] = redis.call('EXISTS', prefix .. 'id:' .. ids[k]) end
  keep(hits)
end
if #ids == 0 then return out end
for from = 1, #ids, 1000 do
  redis.call('SADD', current, unpack(ids, from, math.min(from + 999, #ids)))
end
redis.call('ZADD', KEYS[3], string.format('%d', ends), current)
redis.call('PEXPIREAT', current, string.format('%d', ends + span))
local last = redis.call('INCRBY', KEYS[1], #ids)
local first = last - #ids + 1
local events = {}
for k = 1, #pos do
  out[pos[k]] = first + k - 1
  events[k] = ARGV[4 + n + pos[k]]
end
redis.call('XADD', KEYS[2], last .. '-0', 'f', first, 'b', '[' .. table.concat(events, ',') .. ']', 'r', received)
return out`,
);

/*
 * Outbox layout: a hash per message; a sorted set per ordering stream of its
 * pending ids by queue order (`ord`); `due` holds only the head of each
 * stream (its oldest pending message) scored by its next attempt; one index
 * per status by creation time. Message and stream keys are derived from the
 * prefix inside the scripts; they share the hash tag, so on Cluster they are
 * in the scripts' slot.
 */
const REHEAD = `
local function rehead(prefix, due, sk, old)
  local h = redis.call('ZRANGE', sk, 0, 0)[1]
  if h == old then return end
  if old then redis.call('ZREM', due, old) end
  if h then redis.call('ZADD', due, redis.call('HGET', prefix .. 'msg:' .. h, 'nextAttemptAt'), h) end
end
local function head(sk) return redis.call('ZRANGE', sk, 0, 0)[1] end
`;

/**
 * The evaluator's commit: refused unless the lease still carries the
 * caller's fencing token. KEYS: lease, state, stream (events), due, pending
 * index, superseded index, order counter, gone-at index, evaluations list.
 * ARGV: token, key prefix (`{p}:`), N the number of snapshot chunks (0
 * keeps the stored snapshot: an evaluation's small state), lastSeq, groups,
 * incidents, notices ('' = none), the evaluation `seq,time` of a small
 * commit ('' = none), the detector summary (active alerts and size, JSON,
 * '' = none: what nodes that do not evaluate show), then 9 fields per message (id, notificationId,
 * destination, kind, stream, state, body, createdAt, deadline), then the
 * lastEvaluation ('' = none), then the N chunks (the snapshot's JSON in
 * pieces, written and read piece by piece so neither side blocks long).
 * KEYS[10] is the list that holds the chunks, KEYS[11] the list the
 * evaluations move to when a snapshot is written (kept until the next one,
 * for a warm standby that had not yet seen them).
 *
 * State split: a snapshot is stored with its seq (`snapSeq`), bumps the
 * checkpoint generation (`snapGen`, what a warm standby follows) and empties
 * the evaluations list; a small commit appends its evaluation to it. A new
 * evaluator loads the snapshot, replays the stream after `snapSeq` and
 * re-runs those evaluations where they happened, so the stream is trimmed
 * only to the events after the previous snapshot's seq (`keptSeq`): one
 * checkpoint interval more than a new evaluator needs, so that a warm
 * standby a little behind the new checkpoint can still follow it.
 *
 * A message id already queued is left as it is; a new message supersedes the
 * newest run of pending messages of its stream that announce the same state.
 */
export const COMMIT = script(
  "sipcodes_commit",
  `${REHEAD}
local holder = redis.call('GET', KEYS[1])
if not holder or string.match(holder, '^%d+') ~= ARGV[1] then
  return redis.error_reply('FENCED the lease is held by another evaluator')
end
local prefix = ARGV[2]
local chunks = tonumber(ARGV[3])
local last = #ARGV - chunks
if chunks > 0 then
  redis.call('DEL', KEYS[10], KEYS[11])
  if redis.call('EXISTS', KEYS[9]) == 1 then redis.call('RENAME', KEYS[9], KEYS[11]) end
  redis.call('HDEL', KEYS[2], 'snapshot')
  for i = last + 1, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[10], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  redis.call('HSET', KEYS[2], 'keptSeq', redis.call('HGET', KEYS[2], 'snapSeq') or 0)
  redis.call('HSET', KEYS[2], 'snapSeq', ARGV[4])
  redis.call('HINCRBY', KEYS[2], 'snapGen', 1)
end
if ARGV[8] ~= '' then redis.call('RPUSH', KEYS[9], ARGV[8]) end
if ARGV[9] ~= '' then redis.call('HSET', KEYS[2], 'summary', ARGV[9]) end
if ARGV[last] ~= '' then redis.call('HSET', KEYS[2], 'lastEvaluation', ARGV[last]) end
redis.call('HSET', KEYS[2], 'lastSeq', ARGV[4], 'groups', ARGV[5], 'token', ARGV[1])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], 'incidents', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'notices', ARGV[7]) end
local created = 0
for a = 10, last - 1, 9 do
  local id, stream, state, at = ARGV[a], ARGV[a + 4], ARGV[a + 5], ARGV[a + 7]
  local mk = prefix .. 'msg:' .. id
  if redis.call('EXISTS', mk) == 0 then
    local ord = redis.call('INCR', KEYS[7])
    redis.call('HSET', mk, 'id', id, 'notificationId', ARGV[a + 1], 'destination', ARGV[a + 2],
      'kind', ARGV[a + 3], 'stream', stream, 'state', state, 'body', ARGV[a + 6], 'createdAt', at,
      'deadline', ARGV[a + 8], 'status', 'pending', 'attempts', 0, 'nextAttemptAt', at, 'ord', ord)
    local sk = prefix .. 'stream:' .. stream
    local old = head(sk)
    local older = redis.call('ZREVRANGE', sk, 0, -1)
    for _, o in ipairs(older) do
      local ok = prefix .. 'msg:' .. o
      if redis.call('HGET', ok, 'state') ~= state then break end
      redis.call('HSET', ok, 'status', 'superseded', 'deadAt', at, 'supersededBy', id)
      redis.call('ZREM', sk, o)
      redis.call('ZREM', KEYS[5], o)
      redis.call('ZADD', KEYS[6], redis.call('HGET', ok, 'createdAt'), o)
      redis.call('ZADD', KEYS[8], at, o)
    end
    redis.call('ZADD', sk, ord, id)
    redis.call('ZADD', KEYS[5], at, id)
    rehead(prefix, KEYS[4], sk, old)
    created = created + 1
  end
end
-- A split evaluation before any snapshot keeps the whole stream (no snapshot holds any of it).
local kept = tonumber(redis.call('HGET', KEYS[2], 'keptSeq') or redis.call('HGET', KEYS[2], 'snapSeq')
  or (ARGV[8] == '' and ARGV[4]) or 0)
redis.call('XTRIM', KEYS[3], 'MINID', (kept + 1) .. '-0')
return created`,
);

/**
 * Stream heads due at a time, oldest first, skipping the destinations and
 * streams given (a read: BullMQ schedules the attempts). KEYS: due. ARGV:
 * prefix, now, limit, skipped destinations (JSON array), skipped streams
 * (JSON array).
 */
export const DUE = script(
  "sipcodes_due",
  `local prefix, now, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local skipD, skipS = {}, {}
for _, d in ipairs(cjson.decode(ARGV[4])) do skipD[d] = true end
for _, x in ipairs(cjson.decode(ARGV[5])) do skipS[x] = true end
local out = {}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, id in ipairs(ids) do
  if #out >= limit then break end
  local f = redis.call('HMGET', prefix .. 'msg:' .. id, 'destination', 'stream')
  if not skipD[f[1]] and not skipS[f[2]] then out[#out + 1] = id end
end
return out`,
);

/**
 * Moves a message on after an attempt. KEYS: due, pending index, delivered
 * index, dead index, superseded index, gone-at index, last-delivered.
 * ARGV: prefix, id, outcome (delivered|retry|dead), time, error, status
 * ('' = none). Delivered is recorded for a pending or superseded message
 * (an attempt in flight when it was superseded), and becomes its stream's
 * last delivered unless a later one (by queue order) already is; retry and
 * dead only for a pending one.
 * Returns 0 when nothing was marked, 1 when marked, or the id of the
 * stream's new head when the message left the head (its job is added next).
 */
export const MARK = script(
  "sipcodes_mark",
  `${REHEAD}
local prefix, id, outcome, at, err, st = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local mk = prefix .. 'msg:' .. id
local status = redis.call('HGET', mk, 'status')
if not (status == 'pending' or (status == 'superseded' and outcome == 'delivered')) then return 0 end
redis.call('HINCRBY', mk, 'attempts', 1)
if st == '' then redis.call('HDEL', mk, 'lastStatus') else redis.call('HSET', mk, 'lastStatus', st) end
if outcome == 'retry' then
  redis.call('HSET', mk, 'nextAttemptAt', at, 'lastError', err)
  if redis.call('ZSCORE', KEYS[1], id) then redis.call('ZADD', KEYS[1], at, id) end
  return 1
end
local created = redis.call('HGET', mk, 'createdAt')
local stream = redis.call('HGET', mk, 'stream')
local sk = prefix .. 'stream:' .. stream
local old = head(sk)
redis.call('ZREM', sk, id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[5], id)
if outcome == 'delivered' then
  redis.call('HSET', mk, 'status', 'delivered', 'deliveredAt', at)
  redis.call('HDEL', mk, 'lastError')
  redis.call('ZADD', KEYS[3], created, id)
  redis.call('ZADD', KEYS[6], at, id)
  local ord = redis.call('HGET', mk, 'ord')
  local last = redis.call('HGET', KEYS[7], stream)
  if not last or tonumber(string.match(last, '^%d+')) < tonumber(ord) then
    redis.call('HSET', KEYS[7], stream, ord .. ' ' .. id)
  end
else
  redis.call('HSET', mk, 'status', 'dead', 'deadAt', at, 'lastError', err)
  redis.call('ZADD', KEYS[4], created, id)
end
if old == id then rehead(prefix, KEYS[1], sk, old) end
return head(sk) or 1`,
);

/**
 * A pending message whose stream has delivered a newer one since (a dead
 * letter replayed after its resolve went out) is superseded by that one
 * instead of sent, as in the single-node delivery. KEYS: due, pending index,
 * superseded index, gone-at index. ARGV: prefix, id, newer id, time.
 * Returns 0 when the message was not pending, else the stream's new head
 * when it was the head ('' otherwise or when none): its job is added next.
 */
export const SUPERSEDE = script(
  "sipcodes_supersede",
  `${REHEAD}
local prefix, id, by, at = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local mk = prefix .. 'msg:' .. id
if redis.call('HGET', mk, 'status') ~= 'pending' then return 0 end
local sk = prefix .. 'stream:' .. redis.call('HGET', mk, 'stream')
local old = head(sk)
redis.call('HSET', mk, 'status', 'superseded', 'deadAt', at, 'supersededBy', by)
redis.call('ZREM', sk, id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZADD', KEYS[3], redis.call('HGET', mk, 'createdAt'), id)
redis.call('ZADD', KEYS[4], at, id)
if old ~= id then return '' end
rehead(prefix, KEYS[1], sk, old)
return head(sk) or ''`,
);

/**
 * Forgets delivered and superseded messages that left the queue before a
 * time (at most `limit`), and a stream's newest-delivered record with the
 * message it names. KEYS: gone-at, delivered index, superseded index,
 * last-delivered. ARGV: prefix, before, limit.
 */
export const FORGET = script(
  "sipcodes_forget",
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do
  local mk = ARGV[1] .. 'msg:' .. id
  local f = redis.call('HMGET', mk, 'stream', 'ord')
  if f[1] and f[2] and redis.call('HGET', KEYS[4], f[1]) == f[2] .. ' ' .. id then
    redis.call('HDEL', KEYS[4], f[1])
  end
  redis.call('DEL', mk)
end
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('ZREM', KEYS[2], unpack(ids))
  redis.call('ZREM', KEYS[3], unpack(ids))
end
return #ids`,
);

/** A dead letter back to pending, in its stream's order. KEYS: due, pending index, dead index. ARGV: prefix, id, now, deadline. */
export const REPLAY = script(
  "sipcodes_replay",
  `${REHEAD}
local prefix, id = ARGV[1], ARGV[2]
local mk = prefix .. 'msg:' .. id
if redis.call('HGET', mk, 'status') ~= 'dead' then return 0 end
redis.call('HSET', mk, 'status', 'pending', 'nextAttemptAt', ARGV[3], 'deadline', ARGV[4])
redis.call('HDEL', mk, 'deadAt')
redis.call('ZREM', KEYS[3], id)
redis.call('ZADD', KEYS[2], redis.call('HGET', mk, 'createdAt'), id)
local sk = prefix .. 'stream:' .. redis.call('HGET', mk, 'stream')
local old = head(sk)
redis.call('ZADD', sk, redis.call('HGET', mk, 'ord'), id)
rehead(prefix, KEYS[1], sk, old)
return 1`,
);

/** Takes the lease if free: `SET NX PX` with a fresh `INCR` token. KEYS: lease, fence. ARGV: node, ttl ms. Returns the token, or 0. */
export const ACQUIRE = script(
  "sipcodes_lease_acquire",
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ' ' .. ARGV[1], 'NX', 'PX', ARGV[2])
return token`,
);

/** Extends the lease if it is still ours. KEYS: lease. ARGV: holder value, ttl ms. */
export const RENEW = script(
  "sipcodes_lease_renew",
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
);

/** Gives the lease up if it is still ours. KEYS: lease. ARGV: holder value. */
export const RELEASE = script(
  "sipcodes_lease_release",
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
);

/**
 * A token bucket shared by every node, on the server's clock. KEYS: bucket.
 * ARGV: events per second, events wanted. Returns 0 (taken) or the seconds
 * to wait, as the per-process EventRate does.
 */
export const TAKE_RATE = script(
  "sipcodes_take_rate",
  `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or rate)
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or now)
tokens = math.min(rate, tokens + (now - at) / 1000 * rate)
local wait = 0
if tokens >= n or (n > rate and tokens >= rate) then
  tokens = tokens - n
else
  wait = math.ceil((n - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], 60000)
return wait`,
);
