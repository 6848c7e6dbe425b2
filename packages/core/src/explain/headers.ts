// Turns the headers that name a cause or a sender into Explanation fields.
import { getCodeEntry } from "../catalogue/index.ts";
import { getQ850Cause } from "../catalogue/q850.ts";
import { CAUSE_HEADER_NAMES, type CauseHeaders, codeHeaderNames } from "../parse/headers/index.ts";
import type { ProfileRegistry } from "../profiles/registry.ts";
import type { Explanation } from "../schema/explanation.ts";
import type { ReasonHeaderValue } from "../schema/headers.ts";
import type { Profile } from "../schema/profile.ts";

type Headers = Readonly<Record<string, readonly string[]>>;

/** A profile, the header that chose it, and the sub-code that header carried. */
export interface HeaderSelection {
  profile: Profile;
  header: string;
  subCode?: string;
}

const keeps = new WeakMap<ReadonlySet<string>, (code: number) => ReadonlySet<string>>();

/**
 * The header fields explain() reads from a message with a given code: the
 * cause headers, the ones that code asks for, and those the registry's
 * profiles declare. One function per registry state, its sets cached by code.
 */
export function headersToKeep(registry: ProfileRegistry): (code: number) => ReadonlySet<string> {
  const { names } = registry.headerSelectors();
  let keepFor = keeps.get(names);
  if (!keepFor) {
    const byCode = new Map<readonly string[], ReadonlySet<string>>();
    keepFor = (code) => {
      const extra = codeHeaderNames(code);
      let keep = byCode.get(extra);
      if (!keep) {
        keep = new Set([...CAUSE_HEADER_NAMES, ...extra, ...names]);
        byCode.set(extra, keep);
      }
      return keep;
    };
    keeps.set(names, keepFor);
  }
  return keepFor;
}

const matchers = new Map<string, RegExp>();

/** A case-insensitive test for `contains`, built once per text (this runs for every message). */
function matcher(contains: string | undefined): RegExp | undefined {
  if (contains === undefined) return undefined;
  let re = matchers.get(contains);
  if (!re) {
    re = new RegExp(contains.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
    if (matchers.size < 1000) matchers.set(contains, re);
  }
  return re;
}

/**
 * The first profile (in registry order) that a header of the message selects,
 * by what the profiles declare: a `subCodeHeaders` header carrying a code, or
 * a `selectBy` header (containing its text). Core code names no platform.
 */
export function selectByHeaders(
  registry: ProfileRegistry,
  headers: Headers,
  causes: CauseHeaders,
): HeaderSelection | undefined {
  for (const sel of registry.headerSelectors().selectors) {
    const values = headers[sel.header];
    if (!values) continue;
    if (sel.subCode) {
      const d = causes.diagnostics.find((x) => x.header === sel.header);
      if (d) return { profile: sel.profile, header: sel.header, subCode: d.code };
      continue;
    }
    const wanted = matcher(sel.contains);
    if (wanted === undefined || values.some((v) => wanted.test(v)))
      return { profile: sel.profile, header: sel.header };
  }
  return undefined;
}

/** The sub-code a profile's own sub-code header carries, if the message has one. */
export function subCodeFromHeaders(profile: Profile, causes: CauseHeaders): string | undefined {
  for (const name of profile.subCodeHeaders ?? []) {
    const d = causes.diagnostics.find((x) => x.header === name);
    if (d) return d.code;
  }
  return undefined;
}

/** Where the message's Reason says the call was ended, to say what a SIP cause means there. */
export interface ReasonContext {
  /** The response code, or undefined when the message is a request or a bare Reason. */
  code?: number;
  /** The request's method when the message is a request (CANCEL, BYE). */
  method?: string;
}

const elsewhere: Readonly<Record<number, string>> = {
  200: "The call was answered on another device or branch (completed elsewhere), so this branch was ended on purpose: not a failure.",
  600: "The called party was busy everywhere, as reported by another device or branch, so this branch was ended.",
  603: "The call was declined on another device or branch (declined elsewhere), so this branch was ended.",
};

/** Names and explains each Reason value in the context of the message that carried it. */
export function explainReasons(
  reasons: readonly ReasonHeaderValue[],
  context: ReasonContext,
): ReasonHeaderValue[] {
  const cancelling =
    context.method === "CANCEL" || context.code === 487 || context.code === undefined;
  return reasons.map((r) => {
    const out: ReasonHeaderValue = { protocol: r.protocol, raw: r.raw };
    if (r.cause !== undefined) out.cause = r.cause;
    if (r.text !== undefined) out.text = r.text;
    if (r.location !== undefined) out.location = r.location;
    if (r.locationName !== undefined) out.locationName = r.locationName;
    if (r.protocol === "SIP" && r.cause !== undefined) {
      const entry = getCodeEntry(r.cause);
      if (entry) out.name = entry.phrase;
      const e = cancelling && context.method !== "BYE" ? elsewhere[r.cause] : undefined;
      out.meaning =
        e ??
        (context.method === "BYE"
          ? `The side that sent the BYE names SIP ${r.cause}${entry ? ` ${entry.phrase}` : ""} as why it ended the call.`
          : `The sender names SIP ${r.cause}${entry ? ` ${entry.phrase}` : ""} as the cause, usually a response it received further along the path.`);
    } else if (r.protocol === "Q.850" && r.cause !== undefined) {
      const cause = getQ850Cause(r.cause);
      if (cause) {
        out.name = cause.name;
        out.meaning = cause.explanation;
      }
    }
    if (out.meaning && r.locationName)
      out.meaning = `${out.meaning} Raised by ${r.locationName} (location ${r.location}).`;
    return out;
  });
}

/** The headers' own Explanation fields, set only when they carry something. */
export function headerFields(causes: CauseHeaders, context: ReasonContext): Partial<Explanation> {
  const out: Partial<Explanation> = {};
  if (causes.reasons.length) out.reasons = explainReasons(causes.reasons, context);
  if (causes.diagnostics.length) out.diagnostics = causes.diagnostics;
  if (causes.hangup.length) out.hangup = causes.hangup;
  if (Object.keys(causes.producer).length) out.producedBy = causes.producer;
  const redress = causes.callInfo.filter((c) => c.purpose?.toLowerCase() === "jwscard");
  if (redress.length) out.redress = redress;
  if (Object.keys(causes.codeHeaders).length) out.codeHeaders = causes.codeHeaders;
  return out;
}
