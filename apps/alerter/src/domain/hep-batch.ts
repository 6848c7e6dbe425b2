import type { CallRecord } from "./event.ts";
import type { HepCallEvent } from "./hep-calls.ts";

/**
 * Call events derived from HEP cross from the HEP worker to the main thread
 * as the bytes of a JSON array in our own event format (`POST /v1/events`'s
 * schema): cheaper to copy than a thousand cloned objects, read on the main
 * thread by the same code as a request body, and moved on from there to the
 * SQLite writer thread without another copy, as a request body's bytes are.
 *
 * Each event is first fitted to that schema, so that none is refused on the
 * way: labels and phrases at most 200 characters, the Reason at most 1,000,
 * empty values left out. Only what the store keeps crosses: a final
 * response's ms-diagnostics header (Microsoft Teams Direct Routing, where it
 * says what the Reason header would) goes into `reason` as
 * "ms-diagnostics: <value>" when there is no Reason header; the outcome
 * (final or timeout) is in the code and phrase already.
 */

const text = (v: string | undefined, max: number): string | undefined => {
  if (v === undefined) return undefined;
  const s = v.length > max ? v.slice(0, max) : v;
  return s === "" ? undefined : s;
};

/** One HEP call event as the store takes it. */
export function hepRecord(e: HepCallEvent): CallRecord {
  return {
    id: e.id,
    time: e.time,
    code: e.code,
    direction: e.direction,
    trunk: text(e.trunk, 200),
    customer: text(e.customer, 200),
    phrase: text(e.phrase, 200),
    reason: text(
      e.reason ?? (e.diagnostics ? `ms-diagnostics: ${e.diagnostics}` : undefined),
      1000,
    ),
  };
}

const utf8 = new TextEncoder();

/** The events as the UTF-8 bytes of a JSON array, in a buffer of their own (to be transferred). */
export function encodeHepBatch(events: readonly HepCallEvent[]): ArrayBuffer {
  const bytes = utf8.encode(JSON.stringify(events.map(hepRecord)));
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
