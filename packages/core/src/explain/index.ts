import { classNames, classOf, getCodeEntry, getWarningCode } from "../catalogue/index.ts";
import { getQ850Cause, q850CausesFor, sipToQ850 } from "../catalogue/q850.ts";
import { type SafeResult, SipcodesError, toSafe } from "../errors.ts";
import { readCauseHeaders } from "../parse/headers/index.ts";
import { type ParsedInput, parseInput, type ReasonValue } from "../parse/index.ts";
import {
  DEFAULT_PROFILE,
  defaultRegistry,
  normalizePhrase,
  type ProfileRegistry,
} from "../profiles/registry.ts";
import type { Audience, CodeEntry, Direction } from "../schema/catalogue.ts";
import type { Explanation, Q850Explained } from "../schema/explanation.ts";
import type { Profile } from "../schema/profile.ts";
import { headersToKeep, selectByHeaders, subCodeFromHeaders } from "./headers.ts";
import { actionsFor, causesFor, entryOrFallback, type MergedEntry, mergeEntry } from "./merge.ts";
import { messageFields } from "./message.ts";
import { explainSubCode } from "./sub-code.ts";
import { findTerms } from "./terms.ts";

export interface ExplainOptions {
  /** A profile id from the registry, or a profile object (e.g. loaded from a user's file). Default DEFAULT_PROFILE, the standard meanings. */
  profile?: string | Profile;
  direction?: Direction;
  /** "operator" (default) includes the operator section; "end-user" keeps only what a caller should hear. */
  audience?: Audience;
  /** A vendor sub-code carried beside the SIP code, such as Microsoft's 560403. */
  subCode?: string | number;
  /** Where profile ids are looked up; defaults to the built-in profiles. */
  registry?: ProfileRegistry;
}

type Base = Explanation;

const caches = new WeakMap<object, Map<string, Base>>();

function cacheFor(owner: object): Map<string, Base> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  return cache;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function checkOptions(options: ExplainOptions) {
  const { direction, audience } = options;
  if (direction !== undefined && direction !== "inbound" && direction !== "outbound") {
    throw new SipcodesError(
      "invalid_option",
      `direction must be "inbound" or "outbound", got "${String(direction)}"`,
    );
  }
  if (audience !== undefined && audience !== "operator" && audience !== "end-user") {
    throw new SipcodesError(
      "invalid_option",
      `audience must be "operator" or "end-user", got "${String(audience)}"`,
    );
  }
}

function resolveProfile(options: ExplainOptions, registry: ProfileRegistry): Profile {
  const { profile } = options;
  if (profile === undefined) return registry.getOrThrow(DEFAULT_PROFILE);
  if (typeof profile === "string") return registry.getOrThrow(profile);
  if (typeof profile === "object" && profile !== null && typeof profile.id === "string")
    return profile;
  throw new SipcodesError("invalid_option", "profile must be a profile id or a profile object");
}

/**
 * Explains a SIP response code. `input` may be a number, "486", a status line,
 * a whole SIP response, or a Reason header value. Throws SipcodesError for
 * anything that is not one of those; see safeExplain for a non-throwing twin.
 */
export function explain(input: unknown, options: ExplainOptions = {}): Explanation {
  checkOptions(options);
  const registry = options.registry ?? defaultRegistry();
  const profile = resolveProfile(options, registry);

  // Fast path: a bare code needs nothing from a message, so the cached base is the answer.
  if (options.subCode === undefined) {
    const code =
      typeof input === "number"
        ? input
        : typeof input === "string" && input.length === 3 && /^\d{3}$/.test(input)
          ? Number(input)
          : Number.NaN;
    if (Number.isInteger(code) && code >= 100 && code <= 699) {
      return base(code, profile, profile.id, "request", undefined, options, registry);
    }
  }

  const parsed = parseInput(input, { keep: headersToKeep(registry) });
  return fromParsed(parsed, profile, options, registry);
}

/** Like explain, but returns `{ success, data }` or `{ success: false, error }` instead of throwing. */
export function safeExplain(input: unknown, options: ExplainOptions = {}): SafeResult<Explanation> {
  return toSafe(() => explain(input, options));
}

function fromParsed(
  parsed: ParsedInput,
  requested: Profile,
  options: ExplainOptions,
  registry: ProfileRegistry,
): Explanation {
  const q850Reason = parsed.reasons.find((r) => r.protocol === "Q.850");
  let code = parsed.code;
  let reasonNote: string | undefined;
  if (code === undefined && parsed.kind === "request" && !q850Reason) {
    throw new SipcodesError(
      "not_a_response",
      `a ${parsed.method ?? "SIP"} request without a Reason header says nothing about an outcome; give its response, or the whole trace to explain the call`,
    );
  }
  if (code === undefined) {
    const mapped = codeForReason(q850Reason);
    code = mapped.code;
    reasonNote = mapped.note;
  }

  // Which profile's meaning applies depends on the phrase that was received.
  let profile = requested;
  let selectedBy: "request" | "phrase" | "header" = "request";
  let note: string | undefined;
  let received: Explanation["received"];
  const entry = getCodeEntry(code);
  const phrase = parsed.kind !== "reason" ? parsed.phrase : undefined;
  if (phrase !== undefined) {
    const wanted = normalizePhrase(phrase);
    const chain = registry.chain(requested);
    const own = chain.find((p) => registry.ownPhrases(p, code).has(wanted));
    const standard = entry !== undefined && standardPhrases(entry).has(wanted);
    if (own && own.id !== DEFAULT_PROFILE) {
      received = { phrase, matches: "profile", profile: own.id };
    } else if (standard) {
      received = { phrase, matches: "standard" };
    } else {
      const otherId = registry.profileForPhrase(code, phrase);
      if (otherId !== undefined) {
        const other = registry.getOrThrow(otherId);
        received = { phrase, matches: "profile", profile: other.id };
        if (other.id !== requested.id) {
          profile = other;
          selectedBy = "phrase";
          note = `The phrase "${phrase}" belongs to the ${other.name} profile, so its meaning is used instead of ${requested.name}'s.`;
        }
      } else {
        received = { phrase, matches: "other" };
      }
    }
  }

  // A header the profiles declare (ms-diagnostics, a Server name) chooses the platform's profile.
  const causes = parsed.headers
    ? readCauseHeaders(parsed.headers, parsed.code, parsed.allReasons)
    : undefined;
  const chosen =
    causes && parsed.headers ? selectByHeaders(registry, parsed.headers, causes) : undefined;
  if (chosen && selectedBy !== "phrase" && !registry.chain(profile).includes(chosen.profile)) {
    note = `The ${chosen.header} header shows the response came from ${chosen.profile.name}, so that profile's meaning is used${requested.id === DEFAULT_PROFILE ? "" : ` instead of ${requested.name}'s`}.`;
    profile = chosen.profile;
    selectedBy = "header";
  }

  const b = base(code, profile, requested.id, selectedBy, note, options, registry, phrase);
  const extra: Partial<Explanation> = {};
  if (received) extra.received = received;
  if (q850Reason) extra.q850 = explainReason(q850Reason, reasonNote);
  if (parsed.warnings.length) {
    extra.warnings = parsed.warnings.map((w) => {
      const known = getWarningCode(w.code);
      return known
        ? {
            code: w.code,
            agent: w.agent,
            text: w.text,
            meaning: known.meaning,
            action: known.action,
          }
        : { code: w.code, agent: w.agent, text: w.text };
    });
  }
  if (parsed.retryAfter) extra.retry = { ...b.retry, after: parsed.retryAfter };
  if (parsed.skipped) extra.skipped = parsed.skipped;
  const subCode =
    options.subCode !== undefined
      ? String(options.subCode).trim()
      : causes
        ? subCodeFromHeaders(profile, causes)
        : undefined;
  const notes: string[] = [];
  if (subCode !== undefined) {
    const sub = explainSubCode(subCode, code, registry.chain(profile));
    if (sub) extra.subCode = sub;
    else notes.push(subCodeNote(subCode, profile, registry));
  }
  Object.assign(extra, messageFields(b, extra, parsed, causes));
  if (notes.length) extra.inputNotes = [...(extra.inputNotes ?? []), ...notes];
  return Object.keys(extra).length ? Object.assign({}, b, extra) : b;
}

/** Why a sub-code was not explained, naming the profiles that read sub-codes. */
function subCodeNote(sub: string, profile: Profile, registry: ProfileRegistry): string {
  const readers = registry
    .list()
    .filter((p) => Object.keys(p.subCodes ?? {}).length || p.subCodeRules?.length)
    .map((p) => `${p.name} (--profile ${p.id})`);
  return `Sub-code ${sub} was not explained: the ${profile.name} profile has no sub-code row or numbering rule for it.${readers.length ? ` Profiles that read sub-codes: ${readers.join(", ")}.` : ""}`;
}

const standardCache = new WeakMap<CodeEntry, ReadonlySet<string>>();

/** The normalised registered phrase of an entry and its aliases, cached. */
function standardPhrases(entry: CodeEntry): ReadonlySet<string> {
  let set = standardCache.get(entry);
  if (!set) {
    set = new Set([entry.phrase, ...(entry.aliases ?? [])].map(normalizePhrase));
    standardCache.set(entry, set);
  }
  return set;
}

function codeForReason(reason: ReasonValue | undefined): { code: number; note?: string } {
  if (!reason) {
    throw new SipcodesError(
      "invalid_reason",
      "the Reason header names neither a SIP code nor a Q.850 cause (expected SIP;cause=486 or Q.850;cause=17)",
    );
  }
  if (reason.cause < 1 || reason.cause > 127) {
    throw new SipcodesError(
      "unknown_q850_cause",
      `Q.850 cause ${reason.cause} does not exist: cause values run from 1 to 127`,
    );
  }
  const cause = getQ850Cause(reason.cause);
  if (!cause) {
    return {
      code: 500,
      note: `Q.850 does not assign cause ${reason.cause}; RFC 3398 answers unlisted causes with 500.`,
    };
  }
  const target = cause.sip[0];
  if (!target && cause.untranslatable) {
    throw new SipcodesError(
      "not_a_response",
      `Q.850 cause ${cause.cause} (${cause.name}) has no SIP equivalent: RFC 3398 says the switch should try another circuit and send no SIP response`,
    );
  }
  if (!target) {
    throw new SipcodesError(
      "not_a_response",
      `Q.850 cause ${cause.cause} (${cause.name}) ends a call normally with BYE or CANCEL; RFC 3398 maps it to no SIP response code`,
    );
  }
  return { code: target.code };
}

function explainReason(reason: ReasonValue, note: string | undefined): Q850Explained {
  const cause = getQ850Cause(reason.cause);
  const result: Q850Explained = {
    cause: reason.cause,
    name: cause?.name ?? "Unassigned cause value",
    class: cause?.class ?? classOfCause(reason.cause),
    explanation:
      cause?.explanation ??
      `Q.850 assigns no meaning to cause ${reason.cause}; the sending equipment uses it for a purpose of its own.`,
    userCaused: cause?.userCaused ?? false,
    source: "reason-header",
  };
  if (reason.text) result.text = reason.text;
  if (reason.location) result.location = reason.location;
  if (cause?.sip[0]) result.sipCode = cause.sip[0].code;
  if (note) result.note = note;
  return result;
}

const causeClasses = [
  "normal event",
  "normal event",
  "resource unavailable",
  "service or option not available",
  "service or option not implemented",
  "invalid message",
  "protocol error",
  "interworking",
];

function classOfCause(cause: number): string {
  return causeClasses[cause >> 4] ?? "unknown";
}

function base(
  code: number,
  profile: Profile,
  requested: string,
  selectedBy: "request" | "phrase" | "header",
  note: string | undefined,
  options: ExplainOptions,
  registry: ProfileRegistry,
  phrase?: string,
): Base {
  const direction = options.direction;
  const audience = options.audience ?? "operator";
  const chain = registry.chain(profile);
  const gaps = coverageGaps(code, chain, direction, phrase, registry);
  const gapKey = gaps.map((g) => `${g.profile.id}:${g.reason}`).join(",");
  const key = `${code}|${profile.id}|${requested}|${selectedBy}|${direction ?? ""}|${audience}|${note ?? ""}|${gapKey}|${gaps.length ? (phrase ?? "") : ""}`;
  const cache = cacheFor(typeof options.profile === "object" ? options.profile : registry);
  const hit = cache.get(key);
  if (hit) return hit;
  const notes = [note, ...gaps.map((g) => gapNote(code, g, direction, phrase))].filter(
    (n): n is string => n !== undefined,
  );
  const built = deepFreeze(
    build(
      code,
      profile,
      requested,
      selectedBy,
      notes.length ? notes.join(" ") : undefined,
      direction,
      audience,
      registry,
      gaps,
    ),
  );
  cache.set(key, built);
  return built;
}

function build(
  code: number,
  profile: Profile,
  requested: string,
  selectedBy: "request" | "phrase" | "header",
  note: string | undefined,
  direction: Direction | undefined,
  audience: Audience,
  registry: ProfileRegistry,
  gaps: readonly CoverageGap[],
): Base {
  const found = entryOrFallback(code);
  if (!found) throw new SipcodesError("code_out_of_range", `${code} is not a SIP response code`);
  const { entry, fallback } = found;
  const chain = registry.chain(profile);
  const skip = new Set(gaps.map((g) => g.profile.id));
  const merged: MergedEntry = mergeEntry(entry, chain, direction, skip);
  const klass = classOf(code);
  const causes = causesFor(merged.causes, direction);
  const actions = actionsFor(merged.actions, direction);
  const endUserActions = actions.filter((a) => a.actor === "end-user").map((a) => a.text);

  const mapping = sipToQ850(code);
  const mappedCause = mapping?.cause !== undefined ? getQ850Cause(mapping.cause) : undefined;
  const q850: Q850Explained | undefined = mappedCause
    ? {
        cause: mappedCause.cause,
        name: mappedCause.name,
        class: mappedCause.class,
        explanation: mappedCause.explanation,
        userCaused: mappedCause.userCaused,
        source: "rfc3398",
        ...(mapping?.isDefault
          ? { note: `RFC 3398 lists no cause for ${code}; its default for unlisted codes applies.` }
          : mapping?.dependsOnWarning
            ? {
                note: "RFC 3398 sends cause 65 instead when the Warning header says a bearer capability is unavailable.",
              }
            : {}),
      }
    : undefined;
  const fromQ850 = q850CausesFor(code);

  const related = (merged.entry.related ?? []).flatMap((r) => {
    const other = getCodeEntry(r.code);
    return other ? [{ code: r.code, phrase: other.phrase, note: r.note }] : [];
  });

  const text = [
    merged.summary,
    merged.meaning,
    merged.endUser,
    ...causes.map((c) => c.text),
    ...actions.map((a) => a.text),
  ].join("\n");
  const terms = findTerms(text, chain);

  const references = [
    ...entry.rfcs,
    ...(fallback ? ["RFC 3261 §21"] : []),
    ...(mapping && !fallback ? ["RFC 3398 §8.2.6.1"] : []),
    ...merged.sources,
  ];

  const explanation: Explanation = {
    code,
    phrase: fallback ? `(unassigned; read as ${entry.code} ${entry.phrase})` : entry.phrase,
    ...(!fallback && merged.phrase !== entry.phrase ? { profilePhrase: merged.phrase } : {}),
    class: klass,
    className: classNames[klass],
    final: code >= 200,
    registered: fallback ? false : entry.registered,
    ...(fallback
      ? {
          fallback: {
            explainedAs: entry.code,
            note: `${code} is not a code the catalogue knows. RFC 3261 §21 says to treat an unknown response as the x00 code of its class, so it is explained as ${entry.code}.`,
          },
        }
      : {}),
    profile: {
      id: profile.id,
      name: profile.name,
      requested,
      selectedBy,
      ...(note ? { note } : {}),
      ...(gaps.length
        ? { notApplied: gaps.map((g) => ({ profile: g.profile.id, reason: g.reason })) }
        : {}),
    },
    ...(direction ? { direction } : {}),
    audience,
    outcome: merged.outcome,
    summary: merged.summary,
    ...(audience === "operator" ? { operator: { meaning: merged.meaning, causes, actions } } : {}),
    endUser: {
      message: merged.endUser,
      ...(audience === "end-user" && endUserActions.length ? { actions: endUserActions } : {}),
    },
    retry: merged.retry,
    ...(q850 && audience === "operator" ? { q850 } : {}),
    ...(fromQ850.length && audience === "operator" ? { fromQ850 } : {}),
    ...(related.length && audience === "operator" ? { related } : {}),
    ...(terms.length ? { terms } : {}),
    references: [...new Set(references)],
  };
  return explanation;
}

interface CoverageGap {
  profile: Profile;
  reason: "phrase" | "direction";
}

/**
 * The overlays in a chain that do not cover this response: one that names its
 * platform's phrase, when another phrase was received; one limited to some
 * directions, when the call went the other way. A received phrase that is the
 * overlay's own outweighs the direction (the phrase says whose meaning it is).
 */
function coverageGaps(
  code: number,
  chain: readonly Profile[],
  direction: Direction | undefined,
  phrase: string | undefined,
  registry: ProfileRegistry,
): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const wanted = phrase === undefined ? undefined : normalizePhrase(phrase);
  for (const profile of chain) {
    const overlay = profile.codes[String(code)];
    if (!overlay) continue;
    const ownPhrase = wanted !== undefined && registry.ownPhrases(profile, code).has(wanted);
    if (overlay.phrase !== undefined && wanted !== undefined && !ownPhrase) {
      gaps.push({ profile, reason: "phrase" });
    } else if (
      direction !== undefined &&
      overlay.directions !== undefined &&
      !overlay.directions.includes(direction) &&
      !ownPhrase
    ) {
      gaps.push({ profile, reason: "direction" });
    }
  }
  return gaps;
}

function gapNote(
  code: number,
  gap: CoverageGap,
  direction: Direction | undefined,
  phrase: string | undefined,
): string {
  const { profile, reason } = gap;
  const overlay = profile.codes[String(code)];
  const entry = getCodeEntry(code);
  if (reason === "phrase") {
    const standard =
      entry !== undefined && standardPhrases(entry).has(normalizePhrase(phrase ?? ""));
    const what = standard
      ? `The received phrase "${phrase}" is the standard one, not ${profile.name}'s "${overlay?.phrase}".`
      : `The received phrase "${phrase}" is neither the standard "${entry?.phrase ?? code}" nor ${profile.name}'s "${overlay?.phrase}".`;
    return `${what} ${profile.name}'s meaning of ${code} applies only to its own phrase, so the standard meaning is given${standard ? ": the response probably came from further along the path" : ""}.`;
  }
  const covered = (overlay?.directions ?? []).join(" and ");
  return `${profile.name}'s meaning of ${code} covers ${covered} calls only, so the standard meaning is given for this ${direction ?? ""} call.`;
}

/** The outcome and user-caused flag statistics should use for a code under a profile. */
export function codeOutcome(
  code: number,
  profile: Profile | string = DEFAULT_PROFILE,
  registry: ProfileRegistry = defaultRegistry(),
  /** The call's direction, when known: an overlay that does not cover it is left out, as in explain. */
  direction?: Direction,
): { outcome: Explanation["outcome"]; userCaused: boolean | undefined } {
  const p = typeof profile === "string" ? registry.getOrThrow(profile) : profile;
  const found = entryOrFallback(code);
  if (!found) throw new SipcodesError("code_out_of_range", `${code} is not a SIP response code`);
  const chain = registry.chain(p);
  const skip = new Set(
    coverageGaps(code, chain, direction, undefined, registry).map((g) => g.profile.id),
  );
  const merged = mergeEntry(found.entry, chain, undefined, skip);
  return { outcome: merged.outcome, userCaused: merged.userCaused };
}
