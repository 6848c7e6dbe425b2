import { classOf, getCodeEntry } from "../catalogue/index.ts";
import { SipcodesError } from "../errors.ts";
import { codeOutcome } from "../explain/index.ts";
import { DEFAULT_PROFILE, defaultRegistry, type ProfileRegistry } from "../profiles/registry.ts";
import type { CodeClass, Direction, Outcome } from "../schema/catalogue.ts";
import type { Profile } from "../schema/profile.ts";
import { nerClass } from "./outcome.ts";

export {
  type FinalOutcome,
  finalOutcome,
  HANGUP_CAUSE_NAMES,
  type NerClass,
  nerClass,
  type OutcomeInput,
  type OutcomeSource,
  readSipCode,
  SKIP_REASONS,
  type SkipReason,
  sipCodeForQ850,
} from "./outcome.ts";

/** One call attempt's final (or last seen) response. */
export interface CallEvent {
  code: number;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
  /** A platform sub-code sent with the SIP code (Teams `callEndSubReason`). */
  subcode?: string | undefined;
  /** The platform's own words for the end of the call (a phrase, a cause name). */
  reason?: string | undefined;
  /** When the call started, in milliseconds since the epoch (for grouping by hour). */
  start?: number | undefined;
  /** Seconds the answered call lasted (billed seconds); counted into ACD for 2xx only. */
  duration?: number | undefined;
  /** Post-dial delay in milliseconds: from the INVITE to the first progress (ringing). */
  pdd?: number | undefined;
}

export type GroupBy = "trunk" | "customer" | "direction" | "code" | "subcode" | "reason" | "hour";

export const GROUP_BY: readonly GroupBy[] = [
  "trunk",
  "customer",
  "direction",
  "code",
  "subcode",
  "reason",
  "hour",
];

export interface SummaryOptions {
  profile?: string | Profile;
  registry?: ProfileRegistry;
  groupBy?: GroupBy;
  /** Groups beyond this many are counted together under OTHER_GROUP, keeping memory bounded. Default 10,000. */
  maxGroups?: number;
}

export interface CodeCount {
  code: number;
  phrase: string;
  count: number;
  /** Share of all final responses, 0..1. */
  rate: number;
  outcome: Outcome;
  userCaused: boolean;
  /**
   * Set when the profile gives this code a different outcome in each
   * direction: the entry then counts only calls in this direction (an entry
   * without it, beside one with it, counts the calls of unknown direction).
   */
  direction?: Direction;
}

export interface Totals {
  /** Every event seen, provisional ones included. */
  events: number;
  /** Events with a final response (2xx-6xx): the denominator of every rate. */
  attempts: number;
  answered: number;
  /** Failures counted as caused by the users rather than the network (busy, no answer, declined...). */
  userCaused: number;
  /** Answer-seizure ratio: answered / attempts, or null with no attempts. */
  asr: number | null;
  /** Network effectiveness ratio (ITU-T E.411 style): (answered + user-caused) / attempts. */
  ner: number | null;
  /** Answered calls that carried a duration. */
  timedAnswers: number;
  /** Average call duration of answered calls, in seconds; null without durations. */
  acd: number | null;
  /** Calls with a post-dial delay. */
  pddCalls: number;
  /** Mean post-dial delay in milliseconds; null without one. */
  pdd: number | null;
  byClass: Partial<Record<CodeClass, number>>;
  byOutcome: Partial<Record<Outcome, number>>;
  /** Counts per code, most frequent first. */
  codes: CodeCount[];
}

export interface Summary extends Totals {
  profile: string;
  /** Codes counted as user-caused in this summary (they raise NER, not lower it). */
  userCausedCodes: number[];
  groupBy?: GroupBy;
  groups?: (Totals & { key: string })[];
}

export const OTHER_GROUP = "(other)";
export const NO_GROUP = "(none)";

interface CodeInfo {
  outcome: Outcome;
  userCaused: boolean;
  phrase: string;
}

/** The directions counted apart: unknown, inbound, outbound (the Counter's slots). */
const DIRECTIONS = [undefined, "inbound", "outbound"] as const;
const directionSlot = (d: Direction | undefined): number =>
  d === "inbound" ? 1 : d === "outbound" ? 2 : 0;

/**
 * Counts per code and direction in a flat array indexed by direction * 600 +
 * code - 100: no hashing on the hot path. The direction is kept because a
 * profile may give a code one meaning for inbound calls and another for
 * outbound ones.
 */
class Counter {
  events = 0;
  readonly counts = new Float64Array(1800);
  durationSum = 0;
  timedAnswers = 0;
  pddSum = 0;
  pddCalls = 0;

  add(code: number, duration: number | undefined, pdd: number | undefined, slot = 0) {
    this.events++;
    const i = slot * 600 + code - 100;
    this.counts[i] = (this.counts[i] as number) + 1;
    if (duration !== undefined && code >= 200 && code < 300 && duration >= 0) {
      this.durationSum += duration;
      this.timedAnswers++;
    }
    if (pdd !== undefined && pdd >= 0) {
      this.pddSum += pdd;
      this.pddCalls++;
    }
  }

  *entries(): Generator<[code: number, slot: number, count: number]> {
    for (let i = 0; i < 1800; i++) {
      const count = this.counts[i] as number;
      if (count > 0) yield [(i % 600) + 100, Math.floor(i / 600), count];
    }
  }
}

/**
 * Counts call outcomes one event at a time, in memory bounded by the number of
 * distinct codes (at most 600) times the number of groups. Feed it a stream,
 * read result() whenever needed.
 */
export class CallSummarizer {
  readonly #registry: ProfileRegistry;
  readonly #profile: Profile;
  readonly #groupBy: GroupBy | undefined;
  readonly #maxGroups: number;
  readonly #all = new Counter();
  readonly #groups = new Map<string, Counter>();
  readonly #info = new Map<number, CodeInfo>();

  constructor(options: SummaryOptions = {}) {
    this.#registry = options.registry ?? defaultRegistry();
    this.#profile =
      typeof options.profile === "object"
        ? options.profile
        : this.#registry.getOrThrow(options.profile ?? DEFAULT_PROFILE);
    this.#groupBy = options.groupBy;
    this.#maxGroups = options.maxGroups ?? 10_000;
  }

  /** Adds one event; throws `invalid_event` for a code outside 100-699. */
  add(event: CallEvent): void {
    const { code } = event;
    if (!Number.isInteger(code) || code < 100 || code > 699) {
      throw new SipcodesError(
        "invalid_event",
        `${String(code)} is not a SIP response code (100-699)`,
      );
    }
    const slot = directionSlot(event.direction);
    this.#all.add(code, event.duration, event.pdd, slot);
    if (this.#groupBy) {
      const raw = groupKey(event, this.#groupBy);
      let key = raw === undefined || raw === "" ? NO_GROUP : raw;
      let counter = this.#groups.get(key);
      if (!counter && this.#groups.size >= this.#maxGroups) {
        key = OTHER_GROUP;
        counter = this.#groups.get(key);
      }
      if (!counter) {
        counter = new Counter();
        this.#groups.set(key, counter);
      }
      counter.add(code, event.duration, event.pdd, slot);
    }
  }

  /**
   * Adds calls counted elsewhere, as `addCall` would have counted them one
   * by one: `counts[code - 100]` calls per code (100-699), and the summed
   * durations of the answered ones that carried one. For a summary without
   * groups (a reader that splits a file between threads merges this way).
   */
  addCounts(counts: ArrayLike<number>, durationSum: number, timedAnswers: number): void {
    if (this.#groupBy) {
      throw new SipcodesError("invalid_event", "addCounts is for a summary without groups");
    }
    if (counts.length > 600) {
      throw new SipcodesError("invalid_event", "counts go from code 100 to 699 (600 slots)");
    }
    const all = this.#all;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i] as number;
      if (n === 0) continue;
      if (!Number.isInteger(n) || n < 0) {
        throw new SipcodesError("invalid_event", `count for ${i + 100} is not a whole number`);
      }
      all.counts[i] = (all.counts[i] as number) + n;
      all.events += n;
    }
    all.durationSum += durationSum;
    all.timedAnswers += timedAnswers;
  }

  /**
   * Whether the profile gives some code a meaning for one direction only, so
   * the outcome of a call depends on its direction: a reader that can skip
   * the direction column should read it then.
   */
  get directionMatters(): boolean {
    return this.#registry
      .chain(this.#profile)
      .some((p) => Object.values(p.codes).some((o) => o?.directions !== undefined));
  }

  /**
   * Adds one call given by its code and duration alone: the same as `add({
   * code, duration })` for a summary without groups, with no event object.
   */
  addCall(code: number, duration?: number): void {
    if (this.#groupBy) {
      this.add(duration === undefined ? { code } : { code, duration });
      return;
    }
    if (!Number.isInteger(code) || code < 100 || code > 699) {
      throw new SipcodesError(
        "invalid_event",
        `${String(code)} is not a SIP response code (100-699)`,
      );
    }
    this.#all.add(code, duration, undefined);
  }

  #infoFor(code: number, slot: number): CodeInfo {
    const key = code * 3 + slot;
    let info = this.#info.get(key);
    if (!info) {
      const { outcome, userCaused } = codeOutcome(
        code,
        this.#profile,
        this.#registry,
        DIRECTIONS[slot],
      );
      const entry = getCodeEntry(code) ?? getCodeEntry(Math.floor(code / 100) * 100);
      info = {
        outcome,
        userCaused: nerClass(code, outcome, userCaused) === "user",
        phrase: entry?.code === code ? entry.phrase : "",
      };
      this.#info.set(key, info);
    }
    return info;
  }

  #totals(counter: Counter): Totals {
    let attempts = 0;
    let answered = 0;
    let userCaused = 0;
    const byClass: Partial<Record<CodeClass, number>> = {};
    const byOutcome: Partial<Record<Outcome, number>> = {};
    // One entry per code, unless its directions have different outcomes:
    // then one entry per direction.
    const byCode = new Map<number, { slot: number; count: number; info: CodeInfo }[]>();
    for (const [code, slot, count] of counter.entries()) {
      const info = this.#infoFor(code, slot);
      const klass = classOf(code);
      byClass[klass] = (byClass[klass] ?? 0) + count;
      byOutcome[info.outcome] = (byOutcome[info.outcome] ?? 0) + count;
      if (code >= 200) attempts += count;
      if (code >= 200 && code < 300) answered += count;
      else if (code >= 300 && info.userCaused) userCaused += count;
      if (code < 200) continue;
      const list = byCode.get(code);
      if (list) list.push({ slot, count, info });
      else byCode.set(code, [{ slot, count, info }]);
    }
    const codes: CodeCount[] = [];
    for (const [code, list] of byCode) {
      const first = (list[0] as (typeof list)[number]).info;
      const entry = (info: CodeInfo, count: number): CodeCount => ({
        code,
        phrase: info.phrase,
        count,
        rate: 0,
        outcome: info.outcome,
        userCaused: info.userCaused,
      });
      if (
        list.every(
          (p) => p.info.outcome === first.outcome && p.info.userCaused === first.userCaused,
        )
      ) {
        codes.push(
          entry(
            first,
            list.reduce((n, p) => n + p.count, 0),
          ),
        );
        continue;
      }
      for (const p of list) {
        const direction = DIRECTIONS[p.slot];
        codes.push(direction ? { ...entry(p.info, p.count), direction } : entry(p.info, p.count));
      }
    }
    for (const c of codes) c.rate = attempts ? c.count / attempts : 0;
    codes.sort(
      (a, b) =>
        b.count - a.count ||
        a.code - b.code ||
        directionSlot(a.direction) - directionSlot(b.direction),
    );
    return {
      events: counter.events,
      attempts,
      answered,
      userCaused,
      asr: attempts ? answered / attempts : null,
      ner: attempts ? (answered + userCaused) / attempts : null,
      timedAnswers: counter.timedAnswers,
      acd: counter.timedAnswers ? counter.durationSum / counter.timedAnswers : null,
      pddCalls: counter.pddCalls,
      pdd: counter.pddCalls ? counter.pddSum / counter.pddCalls : null,
      byClass,
      byOutcome,
      codes,
    };
  }

  result(): Summary {
    const totals = this.#totals(this.#all);
    const userCausedCodes = totals.codes
      .filter((c) => c.userCaused)
      .map((c) => c.code)
      .sort((a, b) => a - b);
    const summary: Summary = { ...totals, profile: this.#profile.id, userCausedCodes };
    if (this.#groupBy) {
      summary.groupBy = this.#groupBy;
      summary.groups = [...this.#groups]
        .map(([key, counter]) => ({ key, ...this.#totals(counter) }))
        .sort(
          (a, b) =>
            Number(a.key === OTHER_GROUP) - Number(b.key === OTHER_GROUP) ||
            Number(a.key === NO_GROUP) - Number(b.key === NO_GROUP) ||
            (this.#groupBy === "hour" ? 0 : b.attempts - a.attempts) ||
            (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
        );
    }
    return summary;
  }
}

/** The group an event falls in; hours are UTC, written "2026-11-26T10". */
function groupKey(event: CallEvent, by: GroupBy): string | undefined {
  switch (by) {
    case "code":
      return String(event.code);
    case "hour":
      return event.start === undefined || !Number.isFinite(event.start)
        ? undefined
        : new Date(Math.floor(event.start / 3_600_000) * 3_600_000).toISOString().slice(0, 13);
    default:
      return event[by];
  }
}

/** Summarizes call outcomes: counts per code, class and outcome, ASR and NER. */
export function summarize(events: Iterable<CallEvent>, options: SummaryOptions = {}): Summary {
  const summarizer = new CallSummarizer(options);
  for (const event of events) summarizer.add(event);
  return summarizer.result();
}
