import type { DiagnosticsHeader } from "../../schema/headers.ts";
import { listItems, readParams } from "./_params.ts";

/**
 * Reads a diagnostics header of the form `<code>;reason="...";source="..."`
 * (Microsoft's `ms-diagnostics` and `ms-diagnostics-public` use it). Values
 * that do not start with a number are left out.
 */
export function readDiagnostics(header: string, values: readonly string[]): DiagnosticsHeader[] {
  const out: DiagnosticsHeader[] = [];
  for (const value of values) {
    for (const item of listItems(value)) {
      const { first, params } = readParams(item);
      if (!/^\d{1,9}$/.test(first)) continue;
      const d: DiagnosticsHeader = { header, code: first, raw: item };
      if (params.reason) d.reason = params.reason;
      if (params.source) d.source = params.source;
      out.push(d);
    }
  }
  return out;
}
