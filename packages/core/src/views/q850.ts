import { getQ850Cause } from "../catalogue/q850.ts";
import type { Profile } from "../schema/profile.ts";
import type { PlatformCauseMapping } from "../schema/q850.ts";
import { chainOf, type ProfileOptions } from "./_profile.ts";

/**
 * The nearest profile in the chain that has a cause table of its own (rows
 * or a fallback), or undefined when none has (the standard profile has none).
 */
export function causeTableOwner(options: ProfileOptions = {}): Profile | undefined {
  return chainOf(options).find((p) => p.causeMappings?.length || p.causeDefault);
}

/**
 * The SIP response the profile's platform sends for a Q.850 cause, as a
 * lookup with the table read once (a CDR reader asks per row): the table's
 * row, or its fallback. Undefined when no profile in the chain has a table
 * (RFC 3398 then applies).
 */
export function platformCauseTable(
  options: ProfileOptions = {},
): ((cause: number) => number | undefined) | undefined {
  const owner = causeTableOwner(options);
  if (!owner) return undefined;
  const rows = new Map(owner.causeMappings?.map((m) => [m.cause, m.sip]));
  const fallback = owner.causeDefault?.sip;
  return (cause) => rows.get(cause) ?? fallback;
}

/**
 * What the profile's platform answers for a Q.850 cause, beside RFC 3398: the
 * row of the nearest profile in the chain that has a cause table (or that
 * table's fallback), compared with the RFC's mapping. Undefined when no
 * profile in the chain has a table (the standard profile has none) or Q.850
 * assigns no such cause.
 */
export function platformCauseMapping(
  cause: number,
  options: ProfileOptions = {},
): PlatformCauseMapping | undefined {
  const q = getQ850Cause(cause);
  if (!q) return undefined;
  const owner = causeTableOwner(options);
  if (!owner) return undefined;
  const row = owner.causeMappings?.find((m) => m.cause === cause);
  const sip = row?.sip ?? owner.causeDefault?.sip;
  if (sip === undefined) return undefined;
  const rfc: PlatformCauseMapping["rfc3398"] = q.untranslatable
    ? "untranslatable"
    : q.sip.length
      ? q.sip.flatMap((s) => [s.code, ...(s.userLocationCode ? [s.userLocationCode] : [])])
      : "none";
  const differs = !Array.isArray(rfc) || !rfc.includes(sip);
  const main = q.sip.map((s) => s.code);
  const onlyForUser = !differs && !main.includes(sip);
  const rfcText =
    rfc === "untranslatable"
      ? "RFC 3398 calls it untranslatable (no SIP response)"
      : rfc === "none"
        ? "RFC 3398 expects a BYE or CANCEL, not an error response"
        : `RFC 3398 gives ${rfc.join(" or ")}${q.sipIsDefault ? " (its default for unlisted causes)" : ""}`;
  const lead = `${owner.name} answers ${sip} for cause ${cause}${row ? "" : " (not in its table: its fallback)"}`;
  const why = row?.note ?? (row ? undefined : owner.causeDefault?.note);
  return {
    profile: owner.id,
    name: owner.name,
    cause,
    sip,
    listed: row !== undefined,
    rfc3398: rfc,
    differs,
    note: `${lead}; ${differs ? rfcText : onlyForUser ? `RFC 3398 gives ${main.join(" or ")}, and ${sip} only when the cause location is the user` : "the same as RFC 3398"}.${why ? ` ${why}` : ""}`,
  };
}
