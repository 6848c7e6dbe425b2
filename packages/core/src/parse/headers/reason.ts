import type { ReasonHeaderValue } from "../../schema/headers.ts";
import { listItems, readParams } from "./_params.ts";

/** RFC 8606 `location` values and the ITU-T Q.850 §2.2.4 locations they stand for. */
export const REASON_LOCATIONS: Readonly<Record<string, string>> = {
  U: "the user",
  LPN: "a private network serving the local user",
  LN: "the public network serving the local user",
  TN: "a transit network",
  RLN: "the public network serving the remote user",
  RPN: "a private network serving the remote user",
  "LOC-INTL": "an international network",
  INTL: "an international network",
  BI: "a network beyond the interworking point",
};

/**
 * Reads every value of Reason header fields (RFC 3326) in order, whatever the
 * protocol: `SIP;cause=200;text="Call completed elsewhere"`,
 * `Q.850;cause=16;location=LN`, or a vendor token kept verbatim. A value
 * whose cause is missing or not a number keeps its `raw` text and no cause.
 * The header name in front (`Reason: Q.850;...`) is accepted.
 */
export function readReasons(values: readonly string[]): ReasonHeaderValue[] {
  const out: ReasonHeaderValue[] = [];
  for (const value of values) {
    const text = value.replace(/^[ \t]*reason[ \t]*:/i, "");
    for (const item of listItems(text)) {
      const { first, params } = readParams(item);
      const upper = first.toUpperCase();
      const protocol = upper === "Q.850" ? "Q.850" : upper === "SIP" ? "SIP" : first;
      const reason: ReasonHeaderValue = { protocol, raw: item };
      const cause = params.cause;
      if (cause !== undefined && /^\d{1,5}$/.test(cause)) reason.cause = Number(cause);
      if (params.text) reason.text = params.text;
      if (params.location) {
        reason.location = params.location;
        const name = REASON_LOCATIONS[params.location.toUpperCase()];
        if (name) reason.locationName = name;
      }
      out.push(reason);
    }
  }
  return out;
}
