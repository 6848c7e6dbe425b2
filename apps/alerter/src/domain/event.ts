import { Direction as DirectionSchema } from "@sipcodes/core/schemas";
import type { Direction } from "@sipcodes/detect";
import { z } from "zod";

/** One call's final SIP response, as our own senders post it. */
export const IngestEvent = z.strictObject({
  /** Unique per call attempt; a repeated id is counted once. */
  id: z.string().min(1).max(200),
  /** When the response happened: ms since the epoch, or an RFC 3339 string. */
  time: z.union([
    z.number().int().min(0).max(8.64e15),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  ]),
  code: z.number().int().min(100).max(699),
  direction: DirectionSchema.optional(),
  trunk: z.string().min(1).max(200).optional(),
  customer: z.string().min(1).max(200).optional(),
  /**
   * The reason phrase of the final response's status line, as received
   * ("Decline", "MaxPeak Cost Exceeded"): alerts explain the phrases actually
   * seen, and rules may match on it.
   */
  phrase: z.string().min(1).max(200).optional(),
  /** The Reason header value that came with the response (stored, and listed in alerts). */
  reason: z.string().min(1).max(1000).optional(),
});
export type IngestEvent = z.output<typeof IngestEvent>;

/** An event ready for the store and the detector: time in ms, no optional noise. */
export interface CallRecord {
  id: string;
  time: number;
  code: number;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
  phrase?: string | undefined;
  reason?: string | undefined;
}

export interface LineError {
  /** 1-based: the NDJSON line, or the position in a JSON array (1 for a single object). */
  line: number;
  message: string;
}

export interface ParsedBatch {
  events: CallRecord[];
  rejected: LineError[];
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

const KEYS = new Set(["id", "time", "code", "direction", "trunk", "customer", "phrase", "reason"]);

const optionalLabel = (v: unknown) =>
  v === undefined || (typeof v === "string" && v.length >= 1 && v.length <= 200);

/**
 * The common case of `IngestEvent` checked by hand (a time in ms, every field
 * well-formed): about twenty times faster than the schema, which still
 * decides everything else (RFC 3339 times) and writes the error messages.
 * A property test holds the two to the same answers.
 */
export function fastEvent(value: unknown): CallRecord | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const { id, time, code, direction, trunk, customer, phrase, reason } = o;
  if (typeof id !== "string" || id.length < 1 || id.length > 200) return undefined;
  if (typeof time !== "number" || !Number.isInteger(time) || time < 0 || time > 8.64e15)
    return undefined;
  if (typeof code !== "number" || !Number.isInteger(code) || code < 100 || code > 699)
    return undefined;
  if (direction !== undefined && direction !== "inbound" && direction !== "outbound")
    return undefined;
  if (!optionalLabel(trunk) || !optionalLabel(customer)) return undefined;
  if (!optionalLabel(phrase)) return undefined;
  if (
    reason !== undefined &&
    (typeof reason !== "string" || reason.length < 1 || reason.length > 1000)
  )
    return undefined;
  for (const key in o) if (!KEYS.has(key)) return undefined;
  return {
    id,
    time,
    code,
    direction,
    trunk: trunk as string | undefined,
    customer: customer as string | undefined,
    phrase: phrase as string | undefined,
    reason: reason as string | undefined,
  };
}

function toRecord(value: unknown, line: number, batch: ParsedBatch): void {
  const fast = fastEvent(value);
  if (fast) {
    batch.events.push(fast);
    return;
  }
  const result = IngestEvent.safeParse(value);
  if (!result.success) {
    batch.rejected.push({ line, message: describe(result.error) });
    return;
  }
  const e = result.data;
  batch.events.push({
    id: e.id,
    time: e.time,
    code: e.code,
    direction: e.direction,
    trunk: e.trunk,
    customer: e.customer,
    phrase: e.phrase,
    reason: e.reason,
  });
}

/**
 * Reads a body of our own event format: NDJSON (one event per line, blank
 * lines skipped), a JSON array, or one JSON object. A bad line is reported and
 * never loses the others. Returns null when the body is not JSON at all.
 */
export function parseEventBody(text: string, ndjson: boolean): ParsedBatch | null {
  const batch: ParsedBatch = { events: [], rejected: [] };
  const trimmed = text.trimStart();
  if (!ndjson && (trimmed.startsWith("[") || trimmed.startsWith("{"))) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // Several objects one per line sent as application/json: read as NDJSON.
      if (!trimmed.startsWith("{")) return null;
      return parseNdjson(text, batch);
    }
    if (Array.isArray(data)) {
      for (const [i, v] of data.entries()) toRecord(v, i + 1, batch);
    } else toRecord(data, 1, batch);
    return batch;
  }
  if (!ndjson && trimmed !== "") return null;
  return parseNdjson(text, batch);
}

/**
 * The common NDJSON body (one object per line, no blank lines, LF endings)
 * read with one JSON.parse of the lines joined as an array: a JSON value
 * holds no raw line feed, so element i is line i + 1. Undefined when the body
 * is not of that shape or does not parse; the line-by-line reader then says
 * which lines are wrong.
 */
function wholeNdjson(text: string): unknown[] | undefined {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (!body.startsWith("{") || body.includes("\r") || body.includes("\n\n")) return undefined;
  let lines = 1;
  for (let i = body.indexOf("\n"); i >= 0; i = body.indexOf("\n", i + 1)) lines++;
  let values: unknown;
  try {
    values = JSON.parse(`[${body.replaceAll("\n", ",")}]`);
  } catch {
    return undefined;
  }
  // A line such as `{...},{...}` would add elements and shift every later line: read line by line.
  return Array.isArray(values) && values.length === lines ? values : undefined;
}

function parseNdjson(text: string, batch: ParsedBatch): ParsedBatch {
  const whole = wholeNdjson(text);
  if (whole) {
    for (let i = 0; i < whole.length; i++) toRecord(whole[i], i + 1, batch);
    return batch;
  }
  let start = 0;
  let line = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      batch.rejected.push({ line, message: `not JSON: ${(error as Error).message}` });
      continue;
    }
    toRecord(value, line, batch);
  }
  return batch;
}
