import type { Direction } from "@sipcodes/detect";
import { z } from "zod";

/**
 * Pairs the SIP messages of a HEP feed into one call event per INVITE
 * transaction: the final response (code, phrase, Reason, ms-diagnostics)
 * matched to its INVITE, labelled by rules over addresses, headers and
 * domains. Pure: messages and the clock come in as arguments.
 *
 * Identity of a transaction (`match`):
 * - `call` (default): Call-ID + CSeq number. The first INVITE seen with that
 *   pair defines the leg that counts, by its top Via branch; the same INVITE
 *   captured at other hops (same branch) and the legs a proxy adds (other
 *   branches) are not counted again, and only a final response carrying the
 *   counted leg's branch closes it. This is what the caller of the first hop saw.
 * - `branch`: Call-ID + CSeq number + top Via branch: every proxy leg is its
 *   own transaction (use `count` rules to keep only the capture points you want).
 * In both, retransmissions and copies of one message from several capture
 * agents are counted once.
 */

export interface Endpoint {
  ip: string;
  port: number;
}

/** One SIP message as a HEP packet carried it. */
export interface CapturedSip {
  /** Capture time, ms since the epoch. */
  time: number;
  src: Endpoint;
  dst: Endpoint;
  agentId?: number | undefined;
  text: string;
}

export type LabelSource =
  | string
  | { header: string }
  | { from: "ruri-domain" | "ruri-user" | "from-domain" | "to-domain" | "src-ip" | "dst-ip" };

/** When a rule applies: every condition given must hold (none given: always). */
export interface HepMatch {
  srcIp?: string[] | undefined;
  dstIp?: string[] | undefined;
  srcPort?: number[] | undefined;
  dstPort?: number[] | undefined;
  agentId?: number[] | undefined;
  /** A header present on the INVITE, optionally with one of these values (case-insensitive). */
  header?: { name: string; values?: string[] | undefined } | undefined;
  ruriDomain?: string[] | undefined;
  fromDomain?: string[] | undefined;
}

export interface HepLabelRule {
  when?: HepMatch | undefined;
  set: {
    direction?: Direction | undefined;
    trunk?: LabelSource | undefined;
    customer?: LabelSource | undefined;
  };
}

export interface HepCallsConfig {
  match: "call" | "branch";
  /** An INVITE with no final response this long after it was seen is a `timeout` outcome. */
  timeoutMs: number;
  /** Open transactions held at most; the oldest is evicted above (counted, no event). */
  maxOpen: number;
  /**
   * A 401/407 final response is a digest challenge when the caller sends the
   * INVITE again with the same Call-ID and a higher CSeq within this long:
   * the challenge is then not a call of its own, and the retry's outcome is
   * what counts. Without a retry in time the 401/407 counts (at the end of the
   * wait). 0: every 401/407 counts at once, as a call.
   */
  challengeMs?: number | undefined;
  /** Only INVITEs matching one of these start a transaction; empty or absent: every INVITE. */
  count?: HepMatch[] | undefined;
  /** Labelling rules, in order; for each label the first rule that sets it wins. */
  rules: HepLabelRule[];
}

/** The code and phrase given to an INVITE that never got a final response. */
export const TIMEOUT_CODE = 408;
export const TIMEOUT_PHRASE = "No final response seen";

export interface HepCallEvent {
  id: string;
  /** The final response's capture time (for a timeout: the INVITE's time + timeout), ms. */
  time: number;
  code: number;
  phrase?: string | undefined;
  /** The Reason header of the final response. */
  reason?: string | undefined;
  /** Microsoft's ms-diagnostics header of the final response. */
  diagnostics?: string | undefined;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
  outcome: "final" | "timeout";
}

/** What happened to each message, for the metrics. */
export interface HepCallsCounters {
  invites: number;
  /** INVITEs (or finals) seen again: retransmissions, other capture points, other proxy legs. */
  repeats: number;
  finals: number;
  /** Final responses to an INVITE that was never seen (or already evicted/expired). */
  orphans: number;
  timeouts: number;
  /** Open transactions dropped at `maxOpen`. */
  evicted: number;
  /** INVITEs left out by the `count` rules. */
  notCounted: number;
  /** Text that is not a SIP message with Call-ID, CSeq and Via. */
  unparsable: number;
  /** 401/407 finals followed by the caller's retry (same Call-ID, higher CSeq): not counted as calls. */
  challenges: number;
}

// ----------------------------------------------------------------- parsing

export interface SipHead {
  /** Request method, or undefined for a response. */
  method?: string | undefined;
  ruri?: string | undefined;
  status?: number | undefined;
  phrase?: string | undefined;
  /** Lower-case header name (compact forms expanded) → values in order. */
  headers: Map<string, string[]>;
}

const COMPACT = new Map([
  ["i", "call-id"],
  ["v", "via"],
  ["f", "from"],
  ["t", "to"],
  ["m", "contact"],
  ["l", "content-length"],
  ["c", "content-type"],
]);

/**
 * Header names as written (between line start and colon) → lower-case name,
 * compact forms expanded. A feed writes the same few dozen spellings over and
 * over, so this saves a trim and a lower-casing per header line; bounded, so
 * that odd spellings cannot grow it.
 */
const NAMES = new Map<string, string>();

function headerName(raw: string): string {
  let name = NAMES.get(raw);
  if (name === undefined) {
    const lower = raw.trim().toLowerCase();
    name = COMPACT.get(lower) ?? lower;
    if (NAMES.size < 512) NAMES.set(raw, name);
  }
  return name;
}

/**
 * Reads the start line and headers of one SIP message (the body is not
 * read). With `only`, headers not named in it are skipped without copying
 * their values: the pairing reads a handful of the dozen or more a message has.
 */
export function parseSipHead(text: string, only?: ReadonlySet<string>): SipHead | undefined {
  let end = text.indexOf("\r\n\r\n");
  if (end < 0) end = text.length;
  let nl = text.indexOf("\n");
  if (nl < 0 || nl > end) nl = end;
  const start = text.slice(0, nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
  const head: SipHead = { headers: new Map() };
  if (start.startsWith("SIP/2.0 ")) {
    // Status codes run from 100 to 699 (RFC 3261, 7.2): a 7xx-9xx is no SIP response.
    const m = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(start);
    if (!m) return undefined;
    head.status = Number(m[1]);
    head.phrase = m[2]?.trim() || undefined;
  } else {
    const m = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(start);
    if (!m) return undefined;
    head.method = m[1]!.toUpperCase();
    head.ruri = m[2];
  }
  /** The header the previous line belonged to: a name, or null when it was skipped. */
  let last: string | null | undefined;
  for (let at = nl + 1; at < end; ) {
    let next = text.indexOf("\n", at);
    if (next < 0 || next > end) next = end;
    const lineEnd = next > at && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    const from = at;
    at = next + 1;
    const c = text.charCodeAt(from);
    if ((c === 32 || c === 9) && last !== undefined) {
      if (last === null) continue;
      const values = head.headers.get(last)!;
      values[values.length - 1] += ` ${text.slice(from, lineEnd).trim()}`;
      continue;
    }
    const colon = text.indexOf(":", from);
    if (colon <= from || colon >= lineEnd) continue;
    const name = headerName(text.slice(from, colon));
    if (only && !only.has(name)) {
      last = null;
      continue;
    }
    const value = text.slice(colon + 1, lineEnd).trim();
    const values = head.headers.get(name);
    if (values) values.push(value);
    else head.headers.set(name, [value]);
    last = name;
  }
  return head;
}

const first = (h: SipHead, name: string) => h.headers.get(name)?.[0];

/** The branch parameter of the top Via (lower-case), or "" without one. */
function topBranch(h: SipHead): string {
  const via = first(h, "via");
  if (!via) return "";
  const comma = via.indexOf(",");
  const top = comma < 0 ? via : via.slice(0, comma);
  const m = /;\s*branch\s*=\s*([^;,\s]+)/i.exec(top);
  return m ? m[1]!.toLowerCase() : "";
}

function cseq(h: SipHead): { num: string; method: string } | undefined {
  const m = /^(\d+)\s+([A-Za-z]+)/.exec(first(h, "cseq") ?? "");
  return m ? { num: m[1]!, method: m[2]!.toUpperCase() } : undefined;
}

/** The host of a SIP URI (`sip:user@host:port;params` or inside `<...>`), lower-case. */
function uriHost(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const inner = /<([^>]*)>/.exec(uri)?.[1] ?? uri;
  const m = /^(?:sips?|tel):(?:([^@;]*)@)?(\[[^\]]+\]|[^:;?>]+)/i.exec(inner.trim());
  return m?.[2]?.toLowerCase();
}

function uriUser(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const inner = /<([^>]*)>/.exec(uri)?.[1] ?? uri;
  const m = /^(?:sips?|tel):([^@;]*)@/i.exec(inner.trim());
  return m?.[1] || undefined;
}

// ---------------------------------------------------------------- labelling

interface InviteView {
  msg: CapturedSip;
  head: SipHead;
}

function matches(m: HepMatch | undefined, v: InviteView): boolean {
  if (!m) return true;
  const { msg, head } = v;
  if (m.srcIp && !m.srcIp.includes(msg.src.ip)) return false;
  if (m.dstIp && !m.dstIp.includes(msg.dst.ip)) return false;
  if (m.srcPort && !m.srcPort.includes(msg.src.port)) return false;
  if (m.dstPort && !m.dstPort.includes(msg.dst.port)) return false;
  if (m.agentId && (msg.agentId === undefined || !m.agentId.includes(msg.agentId))) return false;
  if (m.header) {
    const value = first(head, m.header.name.toLowerCase());
    if (value === undefined) return false;
    if (m.header.values && !m.header.values.some((x) => x.toLowerCase() === value.toLowerCase()))
      return false;
  }
  if (m.ruriDomain && !m.ruriDomain.includes(uriHost(head.ruri) ?? "")) return false;
  if (m.fromDomain && !m.fromDomain.includes(uriHost(first(head, "from")) ?? "")) return false;
  return true;
}

function labelValue(source: LabelSource, v: InviteView): string | undefined {
  let value: string | undefined;
  if (typeof source === "string") value = source;
  else if ("header" in source) value = first(v.head, source.header.toLowerCase());
  else {
    switch (source.from) {
      case "ruri-domain":
        value = uriHost(v.head.ruri);
        break;
      case "ruri-user":
        value = uriUser(v.head.ruri);
        break;
      case "from-domain":
        value = uriHost(first(v.head, "from"));
        break;
      case "to-domain":
        value = uriHost(first(v.head, "to"));
        break;
      case "src-ip":
        value = v.msg.src.ip;
        break;
      case "dst-ip":
        value = v.msg.dst.ip;
        break;
    }
  }
  const trimmed = value?.trim().slice(0, 200);
  return trimmed ? trimmed : undefined;
}

function labels(rules: readonly HepLabelRule[], v: InviteView) {
  let direction: Direction | undefined;
  let trunk: string | undefined;
  let customer: string | undefined;
  for (const r of rules) {
    if (!matches(r.when, v)) continue;
    direction ??= r.set.direction;
    if (trunk === undefined && r.set.trunk !== undefined) trunk = labelValue(r.set.trunk, v);
    if (customer === undefined && r.set.customer !== undefined)
      customer = labelValue(r.set.customer, v);
  }
  return { direction, trunk, customer };
}

// ------------------------------------------------------------------ pairing

const OpenTransaction = z.object({
  id: z.string().min(1).max(200),
  branch: z.string(),
  seenAt: z.number(),
  time: z.number(),
  direction: z.enum(["inbound", "outbound"]).optional(),
  trunk: z.string().optional(),
  customer: z.string().optional(),
});

const HeldChallenge = z.object({
  /** CSeq number of the challenged INVITE: a retry has a higher one. */
  cseq: z.number(),
  /** When the challenge was received (the clock passed in). */
  at: z.number(),
  event: z.object({
    id: z.string().min(1).max(200),
    time: z.number(),
    code: z.number().int(),
    phrase: z.string().optional(),
    reason: z.string().optional(),
    diagnostics: z.string().optional(),
    direction: z.enum(["inbound", "outbound"]).optional(),
    trunk: z.string().optional(),
    customer: z.string().optional(),
    outcome: z.literal("final"),
  }),
});
type HeldChallenge = z.infer<typeof HeldChallenge>;

/** What `HepCalls.snapshot` returns and `restore` takes: JSON, kept by the store across restarts. */
export const HepCallsSnapshot = z.object({
  version: z.literal(1),
  open: z.array(z.tuple([z.string(), OpenTransaction])),
  closed: z.array(z.tuple([z.string(), z.number()])),
  /** 401/407s waiting for the caller's retry, by Call-ID (absent in snapshots from before). */
  challenged: z.array(z.tuple([z.string(), HeldChallenge])).default([]),
});
export type HepCallsSnapshot = z.infer<typeof HepCallsSnapshot>;

interface Open {
  id: string;
  branch: string;
  /** Receipt time of the INVITE (the clock passed in), for the timeout. */
  seenAt: number;
  time: number;
  direction: Direction | undefined;
  trunk: string | undefined;
  customer: string | undefined;
}

/** Event ids are at most 200 characters; longer keys keep a prefix and a hash. */
function eventId(key: string): string {
  const id = `hep:${key}`;
  if (id.length <= 200) return id;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${id.slice(0, 183)}~${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}`;
}

/**
 * Keys in the order they were added, each with its time: membership in a
 * Set, age in two arrays read from a head index. Old keys leave only from
 * the front, so nothing scans the deleted entries a Map keeps at its start
 * (taking a Map's first key after many deletions was a sixth of the pairing's
 * time at 150,000 calls in flight).
 */
class RecentKeys {
  private readonly member = new Set<string>();
  private keys: string[] = [];
  private times: number[] = [];
  private head = 0;

  constructor(private readonly max: number) {}

  has(key: string): boolean {
    return this.member.has(key);
  }

  add(key: string, at: number): void {
    if (this.member.has(key)) return;
    this.member.add(key);
    this.keys.push(key);
    this.times.push(at);
    if (this.member.size > this.max) this.shift();
  }

  /** Forgets the keys added at or before `limit`. */
  dropBefore(limit: number): void {
    while (this.head < this.keys.length && this.times[this.head]! <= limit) this.shift();
  }

  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (let i = this.head; i < this.keys.length; i++) out.push([this.keys[i]!, this.times[i]!]);
    return out;
  }

  private shift(): void {
    this.member.delete(this.keys[this.head]!);
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

const isChallenge = (code: number) => code === 401 || code === 407;

export class HepCalls {
  private readonly open = new Map<string, Open>();
  /** 401/407 finals waiting for a retry, by Call-ID, in receipt order. */
  private readonly challenged = new Map<string, HeldChallenge>();
  /** Transactions closed recently (key, close time), so late copies count once. */
  private readonly closed: RecentKeys;
  readonly counters: HepCallsCounters = {
    invites: 0,
    repeats: 0,
    finals: 0,
    orphans: 0,
    timeouts: 0,
    evicted: 0,
    notCounted: 0,
    unparsable: 0,
    challenges: 0,
  };

  /** The headers pairing and labelling read; the others are skipped unparsed. */
  private readonly wanted: ReadonlySet<string>;

  constructor(private readonly config: HepCallsConfig) {
    this.closed = new RecentKeys(config.maxOpen);
    const wanted = new Set(["call-id", "cseq", "via", "reason", "ms-diagnostics", "from", "to"]);
    const add = (m: HepMatch | undefined) => {
      if (m?.header) wanted.add(m.header.name.toLowerCase());
    };
    for (const m of config.count ?? []) add(m);
    for (const r of config.rules) {
      add(r.when);
      for (const source of [r.set.trunk, r.set.customer])
        if (typeof source === "object" && "header" in source)
          wanted.add(source.header.toLowerCase());
    }
    this.wanted = wanted;
  }

  /** Open transactions and challenges waiting for their retry. */
  get openCount(): number {
    return this.open.size + this.challenged.size;
  }

  private key(callId: string, num: string, branch: string): string {
    return this.config.match === "call" ? `${callId}:${num}` : `${callId}:${num}:${branch}`;
  }

  /** Takes one captured message (received at `now`); returns the events it completes. */
  observe(msg: CapturedSip, now: number): HepCallEvent[] {
    const head = parseSipHead(msg.text, this.wanted);
    const callId = head && first(head, "call-id");
    const cs = head && cseq(head);
    if (!head || !callId || !cs || !first(head, "via")) {
      this.counters.unparsable++;
      return [];
    }
    if (cs.method !== "INVITE") return [];
    const branch = topBranch(head);
    const key = this.key(callId, cs.num, branch);
    if (head.method === "INVITE") {
      if (this.open.has(key) || this.closed.has(key)) {
        this.counters.repeats++;
        return [];
      }
      const view = { msg, head };
      const { count } = this.config;
      if (count && count.length > 0 && !count.some((m) => matches(m, view))) {
        this.counters.notCounted++;
        return [];
      }
      this.counters.invites++;
      const held = this.challenged.get(callId);
      if (held && Number(cs.num) > held.cseq) {
        // The caller answered the challenge: the call is this INVITE, not the 401/407.
        this.challenged.delete(callId);
        this.counters.challenges++;
      }
      const l = labels(this.config.rules, view);
      this.open.set(key, {
        id: eventId(key),
        branch,
        seenAt: now,
        time: msg.time,
        ...l,
      });
      if (this.open.size > this.config.maxOpen) {
        const oldest = this.open.keys().next().value as string;
        this.open.delete(oldest);
        this.counters.evicted++;
      }
      return [];
    }
    if (head.status === undefined || head.status < 200) return [];
    const tx = this.open.get(key);
    if (!tx || tx.branch !== branch) {
      if (this.closed.has(key) || tx) this.counters.repeats++;
      else this.counters.orphans++;
      return [];
    }
    this.open.delete(key);
    this.remember(key, now);
    this.counters.finals++;
    const event: HepCallEvent & { outcome: "final" } = {
      id: tx.id,
      time: msg.time,
      code: head.status,
      phrase: head.phrase?.slice(0, 200),
      reason: first(head, "reason")?.slice(0, 1000),
      diagnostics: first(head, "ms-diagnostics")?.slice(0, 1000),
      direction: tx.direction,
      trunk: tx.trunk,
      customer: tx.customer,
      outcome: "final",
    };
    if ((this.config.challengeMs ?? 0) > 0 && isChallenge(head.status)) {
      const out = this.challenged.size >= this.config.maxOpen ? this.giveUpOldest() : [];
      // A second challenge of the same call replaces the first (answered by the INVITE between).
      this.challenged.delete(callId);
      this.challenged.set(callId, { cseq: Number(cs.num), at: now, event });
      return out;
    }
    return [event];
  }

  /** The oldest waiting challenge, counted as the call's outcome (at the cap). */
  private giveUpOldest(): HepCallEvent[] {
    const [callId, held] = this.challenged.entries().next().value as [string, HeldChallenge];
    this.challenged.delete(callId);
    return [held.event];
  }

  /** The open and recently closed transactions, in receipt order, to carry across a restart. */
  snapshot(): HepCallsSnapshot {
    return {
      version: 1,
      open: [...this.open],
      closed: this.closed.entries(),
      challenged: [...this.challenged],
    };
  }

  /**
   * Takes back a snapshot before any message is observed. The timeout clock
   * goes on from each INVITE's receipt time, so transactions whose timeout
   * passed while the process was down expire at the next `expire`.
   */
  restore(snapshot: HepCallsSnapshot): void {
    for (const [key, tx] of snapshot.open.slice(-this.config.maxOpen))
      this.open.set(key, {
        ...tx,
        direction: tx.direction,
        trunk: tx.trunk,
        customer: tx.customer,
      });
    for (const [key, at] of snapshot.closed) this.closed.add(key, at);
    for (const [callId, held] of snapshot.challenged.slice(-this.config.maxOpen))
      this.challenged.set(callId, held);
  }

  private remember(key: string, now: number): void {
    this.closed.add(key, now);
  }

  /** Closes the transactions whose timeout passed by `now` as `timeout` outcomes. */
  expire(now: number): HepCallEvent[] {
    const out: HepCallEvent[] = [];
    const { timeoutMs } = this.config;
    for (const [key, tx] of this.open) {
      // Insertion order is receipt order: stop at the first one still in time.
      if (now - tx.seenAt < timeoutMs) break;
      this.open.delete(key);
      this.remember(key, now);
      this.counters.timeouts++;
      out.push({
        id: tx.id,
        time: tx.time + timeoutMs,
        code: TIMEOUT_CODE,
        phrase: TIMEOUT_PHRASE,
        direction: tx.direction,
        trunk: tx.trunk,
        customer: tx.customer,
        outcome: "timeout",
      });
    }
    const wait = this.config.challengeMs ?? 0;
    for (const [callId, held] of this.challenged) {
      if (now - held.at < wait) break;
      // No retry came: the caller gave up, and the 401/407 is what it got (at the response's time).
      this.challenged.delete(callId);
      out.push(held.event);
    }
    // Closed keys only need to outlive the copies and retransmissions of their messages.
    this.closed.dropBefore(now - 2 * timeoutMs);
    return out;
  }
}
