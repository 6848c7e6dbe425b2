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

let built: Map<number, Q850Cause> | undefined;

/** The causes with their texts and mappings, built on first use (the CLI parses the data lazily). */
function causes(): Map<number, Q850Cause> {
  if (built) return built;
  const texts: Record<number, Q850Text> = q850Text;
  const isupDefault = isupToSip.find((row) => row.cause === "other")?.code ?? 500;
  built = new Map<number, Q850Cause>(
    q850Causes.map((row) => {
      const text = texts[row.cause];
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
      return [
        row.cause,
        {
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
        },
      ];
    }),
  );
  return built;
}

export function listQ850Causes(): readonly Q850Cause[] {
  return [...causes().values()];
}

/** A Q.850 cause with its explanation and RFC 3398 mappings, or undefined if Q.850 assigns no such value. */
export function getQ850Cause(cause: number): Q850Cause | undefined {
  return causes().get(cause);
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
