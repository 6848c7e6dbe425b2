import type { MessageStatus } from "../store.ts";

/**
 * Every Redis key of one alerter deployment. They share one hash tag
 * (`{prefix}`), so a Cluster keeps them in one slot and the scripts may
 * touch several of them at once.
 */
export function redisKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    /** What every key starts with (the scripts derive message and stream keys from it). */
    prefix: `${p}:`,
    /** Last seq handed out; stream entry ids are `<seq>-0`. */
    seq: `${p}:seq`,
    /** The event log (a Redis Stream): what ingest appended and the evaluator has not committed. */
    events: `${p}:events`,
    /**
     * The live dedupe buckets (a sorted set): each bucket's key, scored by
     * when its ids stop counting as duplicates (see INGEST in scripts.ts).
     */
    dedupeBuckets: `${p}:dedupe`,
    /**
     * One dedupe bucket (a set of event ids): the ids first seen in the
     * `index`-th stretch of `spanMs` since the epoch. The ingest script
     * derives these names from the prefix (and `{p}:dedupe:batch`, a set it
     * makes and deletes within one call); tests and the bench read them.
     */
    dedupeBucket: (spanMs: number, index: number) => `${p}:dedupe:${spanMs}:${index}`,
    /**
     * When this deployment's ingest first wrote a dedupe bucket (ms), or 0
     * when it started with buckets: until one horizon after it, the script
     * also honours the per-id keys of the older layout.
     */
    dedupeSince: `${p}:dedupe-since`,
    /** The older layout: one key per event id seen within the horizon (only read, while they expire). */
    legacyDedupe: (id: string) => `${p}:id:${id}`,
    /** The evaluator's committed state: snapshot and its snapSeq, lastSeq, groups, token. */
    state: `${p}:state`,
    /** The detector snapshot's JSON in chunks (a list): a header, then scopes in slices. */
    snapshot: `${p}:snapshot`,
    /** Split state: `seq,time` of each evaluation committed since the snapshot. */
    evaluations: `${p}:evaluations`,
    /** Split state: the evaluations list of the previous snapshot (what a warm standby may have missed). */
    previousEvaluations: `${p}:evaluations-before`,
    /** `<token> <node>` of the current evaluator, with its expiry. */
    lease: `${p}:lease`,
    /** The fencing counter: one token per lease taken. */
    fence: `${p}:fence`,
    message: (id: string) => `${p}:msg:${id}`,
    /** Pending ids of one ordering stream, by queue order. */
    stream: (stream: string) => `${p}:stream:${stream}`,
    /** Held by the node attempting a stream's message (its BullMQ job), for one attempt. */
    busy: (stream: string) => `${p}:busy:${stream}`,
    /** BullMQ's key prefix: its queues (one per destination) share the hash tag. */
    bull: p,
    /** Queue order of messages. */
    order: `${p}:msg-order`,
    /** The head of each stream, by next attempt. */
    due: `${p}:due`,
    /** Message ids by creation time, one index per status. */
    status: (s: MessageStatus) => `${p}:st:${s}`,
    /** Delivered and superseded ids by when they left the queue (for forgetting them). */
    goneAt: `${p}:gone-at`,
    /**
     * Each stream's newest delivered message, `<ord> <id>` (a hash by
     * stream; the field goes when that message is forgotten): what makes a
     * replayed dead letter of the stream stale.
     */
    lastDelivered: `${p}:last-delivered`,
    silences: `${p}:silences`,
    /** A Slack API destination's message of one stream (JSON of a SlackThread), expiring unused. */
    slackThread: (destination: string, stream: string) => `${p}:slack:${destination}:${stream}`,
    /** The cluster-wide ingest token bucket (ingest.maxEventsPerSecond). */
    rate: `${p}:rate`,
    /** Written by the readiness probe. */
    health: `${p}:health`,
  } as const;
}
export type RedisKeys = ReturnType<typeof redisKeys>;
