// Turns the headers that name a cause or a sender into Explanation fields.
import { getCodeEntry } from "../catalogue/index.ts";
import { getQ850Cause } from "../catalogue/q850.ts";
import type { CauseHeaders } from "../parse/headers/index.ts";
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
  for (const profile of registry.list()) {
    for (const name of profile.subCodeHeaders ?? []) {
      const d = causes.diagnostics.find((x) => x.header === name);
      if (d) return { profile, header: name, subCode: d.code };
    }
    for (const m of profile.selectBy ?? []) {
      const values = headers[m.header];
      if (!values) continue;
      const wanted = m.contains?.toLowerCase();
      if (wanted === undefined || values.some((v) => v.toLowerCase().includes(wanted)))
        return { profile, header: m.header };
    }
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
    const out: ReasonHeaderValue = { ...r };
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
