import type { Q850Text } from "../schema/catalogue.ts";
import type { Q850Cause } from "../schema/q850.ts";
import { q850Causes } from "./generated/q850.ts";
import { isupToSip, sipToIsup } from "./generated/rfc3398.ts";
import { q850Text } from "./q850-text.ts";

export type { Q850Cause };

/**
 * RFC 3398 §7.2.4.1 calls cause 44 (requested circuit/channel not available)
 * untranslatable: the switch tries another circuit and sends no SIP status.
 * (The note on the "other" row of reference/rfc3398-isup-to-sip.tsv; a test
 * checks the note still says so.)
 */
export const UNTRANSLATABLE_CAUSES: ReadonlySet<number> = new Set([44]);

type CauseRow = (typeof q850Causes)[number];

let rowsByCause: Map<number, CauseRow> | undefined;
const built = new Map<number, Q850Cause>();

/** One cause with its text and mappings, built the first time it is asked for. */
function build(row: CauseRow): Q850Cause {
  const done = built.get(row.cause);
  if (done) return done;
  const text = (q850Text as Record<number, Q850Text>)[row.cause];
  const rows = isupToSip.filter((r) => r.cause === row.cause);
  const sip = rows.flatMap((r) =>
    r.code === null
      ? []
      : [
          {
            code: r.code,
            ...("condition" in r && r.condition ? { condition: r.condition } : {}),
            ...("userLocationCode" in r && r.userLocationCode
              ? { userLocationCode: r.userLocationCode }
              : {}),
          },
        ],
  );
  const listed = rows.length > 0;
  const untranslatable = UNTRANSLATABLE_CAUSES.has(row.cause);
  const isupDefault = isupToSip.find((r) => r.cause === "other")?.code ?? 500;
  const cause: Q850Cause = {
    cause: row.cause,
    name: row.name,
    class: row.class,
    nationalUse: row.nationalUse,
    explanation: text?.explanation ?? "",
    userCaused: text?.userCaused ?? false,
    sip: listed || untranslatable ? sip : [{ code: isupDefault }],
    sipIsDefault: !listed && !untranslatable,
    ...(untranslatable ? { untranslatable: true } : {}),
    fromSip: sipToIsup.flatMap((r) =>
      r.cause === row.cause && r.code !== "other" ? [r.code] : [],
    ),
  };
  built.set(row.cause, cause);
  return cause;
}

export function listQ850Causes(): readonly Q850Cause[] {
  return q850Causes.map(build);
}

/** A Q.850 cause with its explanation and RFC 3398 mappings, or undefined if Q.850 assigns no such value. */
export function getQ850Cause(cause: number): Q850Cause | undefined {
  rowsByCause ??= new Map(q850Causes.map((row) => [row.cause, row]));
  const row = rowsByCause.get(cause);
  return row ? build(row) : undefined;
}

let sipDefault: number | undefined;
const defaultCause = () =>
  (sipDefault ??= sipToIsup.find((row) => row.code === "other")?.cause ?? 31);

export interface SipToQ850 {
  /** The cause RFC 3398 §8.2.6.1 recommends, or undefined where it gives none (487). */
  cause?: number;
  /** True when the code has no row of its own and the RFC's default cause applies. */
  isDefault: boolean;
  /** Where the mapping depends on the Warning header (488, 606). */
  dependsOnWarning: boolean;
  remedyFirst: boolean;
  authenticateFirst: boolean;
}

/** The Q.850 cause a gateway sends towards ISUP for a final SIP response (RFC 3398 §8.2.6.1). */
export function sipToQ850(code: number): SipToQ850 | undefined {
  if (code < 400 || code > 699) return undefined;
  const row = sipToIsup.find((r) => r.code === code);
  if (!row)
    return {
      cause: defaultCause(),
      isDefault: true,
      dependsOnWarning: false,
      remedyFirst: false,
      authenticateFirst: false,
    };
  const dependsOnWarning = row.cause === null && (code === 488 || code === 606);
  return {
    ...(row.cause !== null
      ? { cause: row.cause }
      : dependsOnWarning
        ? { cause: defaultCause() }
        : {}),
    isDefault: false,
    dependsOnWarning,
    remedyFirst: "remedyFirst" in row && row.remedyFirst === true,
    authenticateFirst: "authenticateFirst" in row && row.authenticateFirst === true,
  };
}

/** Q.850 causes that RFC 3398 §7.2.4.1 maps to this SIP code. */
export function q850CausesFor(code: number): number[] {
  return isupToSip.flatMap((r) =>
    r.code === code && typeof r.cause === "number" ? [r.cause] : [],
  );
}
