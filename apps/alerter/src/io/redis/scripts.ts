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
 * Dedupe and append in one step. KEYS: seq counter, stream, then one dedupe
 * key per event. ARGV: horizon ms, receivedAt, then one encoded event per
 * dedupe key. Returns the seq given to each event, 0 for a duplicate.
 */
export const INGEST = script(
  "sipcodes_ingest",
  `local horizon = ARGV[1]
local received = ARGV[2]
local out = {}
for i = 3, #KEYS do
  if redis.call('SET', KEYS[i], '', 'NX', 'PX', horizon) then
    local seq = redis.call('INCR', KEYS[1])
    redis.call('XADD', KEYS[2], seq .. '-0', 'e', ARGV[i], 'r', received)
    out[#out + 1] = seq
  else
    out[#out + 1] = 0
  end
end
return out`,
);

/**
 * The evaluator's commit: refused unless the lease still carries the
 * caller's fencing token. KEYS: lease, state, stream, due, pending index,
 * then one key per new message. ARGV: token, snapshot ('' keeps the stored
 * one), lastSeq, groups, then 7 fields per message (id, notificationId,
 * destination, kind, body, createdAt, deadline). Trims the stream to the
 * events after lastSeq: the committed state holds everything before.
 */
export const COMMIT = script(
  "sipcodes_commit",
  `local holder = redis.call('GET', KEYS[1])
if not holder or string.match(holder, '^%d+') ~= ARGV[1] then
  return redis.error_reply('FENCED the lease is held by another evaluator')
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], 'snapshot', ARGV[2]) end
redis.call('HSET', KEYS[2], 'lastSeq', ARGV[3], 'groups', ARGV[4], 'token', ARGV[1])
local created = 0
for i = 6, #KEYS do
  local a = 5 + (i - 6) * 7
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local id = ARGV[a]
    redis.call('HSET', KEYS[i], 'id', id, 'notificationId', ARGV[a + 1], 'destination', ARGV[a + 2],
      'kind', ARGV[a + 3], 'body', ARGV[a + 4], 'createdAt', ARGV[a + 5], 'deadline', ARGV[a + 6],
      'status', 'pending', 'attempts', 0, 'nextAttemptAt', ARGV[a + 5])
    redis.call('ZADD', KEYS[4], ARGV[a + 5], id)
    redis.call('ZADD', KEYS[5], ARGV[a + 5], id)
    created = created + 1
  end
end
redis.call('XTRIM', KEYS[3], 'MINID', (tonumber(ARGV[3]) + 1) .. '-0')
return created`,
);

/** Due ids, each claimed for ARGV[3] ms so that one node attempts it at a time. KEYS: due. ARGV: now, limit, claim ms. */
export const CLAIM_DUE = script(
  "sipcodes_claim_due",
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], until_, id) end
return ids`,
);

/**
 * Moves a pending message on after an attempt. KEYS: message, due, pending
 * index, target index (delivered or dead; unused for retry), deliveredAt index.
 * ARGV: id, outcome (delivered|retry|dead), time, error, status ('' = none).
 */
export const MARK = script(
  "sipcodes_mark",
  `if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
local id, outcome, at, err, st = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if st == '' then redis.call('HDEL', KEYS[1], 'lastStatus') else redis.call('HSET', KEYS[1], 'lastStatus', st) end
if outcome == 'retry' then
  redis.call('HSET', KEYS[1], 'nextAttemptAt', at, 'lastError', err)
  redis.call('ZADD', KEYS[2], at, id)
  return 1
end
local created = redis.call('HGET', KEYS[1], 'createdAt')
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('ZADD', KEYS[4], created, id)
if outcome == 'delivered' then
  redis.call('HSET', KEYS[1], 'status', 'delivered', 'deliveredAt', at)
  redis.call('HDEL', KEYS[1], 'lastError')
  redis.call('ZADD', KEYS[5], at, id)
else
  redis.call('HSET', KEYS[1], 'status', 'dead', 'deadAt', at, 'lastError', err)
end
return 1`,
);

/** A dead letter back to pending. KEYS: message, due, pending index, dead index. ARGV: id, now, deadline. */
export const REPLAY = script(
  "sipcodes_replay",
  `if redis.call('HGET', KEYS[1], 'status') ~= 'dead' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'pending', 'nextAttemptAt', ARGV[2], 'deadline', ARGV[3])
redis.call('HDEL', KEYS[1], 'deadAt')
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'createdAt'), ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
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
