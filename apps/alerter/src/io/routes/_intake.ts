import type { Context } from "hono";
import type { Adapted } from "../../domain/adapters.ts";
import type { CallRecord, LineError } from "../../domain/event.ts";
import type { AppDeps } from "../app.ts";
import type { Headers } from "../auth.ts";
import type { IngestOutcome } from "../engine.ts";
import { sendProblem } from "../problem.ts";
import { EventRate } from "../rate-limit.ts";
import type { RawBatch } from "../store.ts";

/** What every ingest route does once it has events: throttle, store, count, answer. */
export interface Intake {
  /** Stores events and answers with per-line results, after the commit. */
  accept(
    c: Context,
    source: string,
    events: CallRecord[],
    rejected: LineError[],
    extra?: Record<string, unknown>,
    raw?: RawBatch,
  ): Promise<Response>;
  /** `accept` for a provider adapter's results: events, invalid lines and skipped callbacks. */
  adapted(c: Context, source: string, results: Adapted[]): Promise<Response>;
  /** The 401 for a request whose signature or credentials do not check out. */
  unauthorized(c: Context, source: string, detail: string): Response;
}

export function createIntake({ config, engine, metrics, eventRate }: AppDeps): Intake {
  const rate =
    config.ingest.maxEventsPerSecond > 0
      ? (eventRate ?? new EventRate(config.ingest.maxEventsPerSecond))
      : undefined;

  const unavailable = (c: Context, error: unknown): Response => {
    // A shared store that cannot take the batch now: nothing was acknowledged, so the sender retries.
    if ((error as { code?: unknown }).code !== "store_unavailable") throw error;
    metrics.throttled.inc({ status: "503" });
    return sendProblem(
      c,
      "overloaded",
      "The event store is unreachable; nothing of this batch was acknowledged. Retry after the delay.",
      { headers: { "retry-after": "1" } },
    );
  };

  const accept: Intake["accept"] = async (c, source, events, rejected, extra = {}, raw) => {
    let outcome: Omit<IngestOutcome, "results"> & {
      results?: IngestOutcome["results"] | undefined;
    } = { accepted: 0, duplicate: 0, ignored: 0 };
    try {
      if (rate && events.length > 0) {
        const wait = await rate.take(events.length);
        if (wait > 0) {
          metrics.throttled.inc({ status: "429" });
          return sendProblem(
            c,
            "rate_limited",
            `More than ${config.ingest.maxEventsPerSecond} events per second.`,
            { headers: { "retry-after": String(wait) } },
          );
        }
      }
      if (events.length > 0) outcome = await engine.ingest(events, raw);
    } catch (error) {
      return unavailable(c, error);
    }
    countOutcome(metrics, source, outcome);
    if (rejected.length) metrics.events.inc({ result: "rejected", source }, rejected.length);
    const status = events.length === 0 && rejected.length > 0 ? 400 : 200;
    const { results: _results, ...counts } = outcome;
    return c.json({ ...counts, rejected, ...extra }, status);
  };

  return {
    accept,
    adapted(c, source, results) {
      const events: CallRecord[] = [];
      const rejected: LineError[] = [];
      let skipped = 0;
      results.forEach((r, i) => {
        if (r.kind === "event") events.push(r.event);
        else if (r.kind === "invalid") rejected.push({ line: i + 1, message: r.message });
        else skipped++;
      });
      return accept(c, source, events, rejected, { skipped });
    },
    unauthorized(c, source, detail) {
      metrics.unauthorized.inc({ source });
      return sendProblem(c, "unauthorized", detail, {
        headers: { "www-authenticate": 'Bearer realm="sipcodes-alerter"' },
      });
    },
  };
}

/**
 * Counts what became of stored events by the detector's verdict: `accepted`
 * only for events it counted; `ignored` (1xx), `late`, `future` and `invalid`
 * each their own result; `duplicate` for ids seen before.
 */
export function countOutcome(
  metrics: AppDeps["metrics"],
  source: string,
  outcome: { duplicate: number; results?: Record<string, number> | undefined },
): void {
  for (const [result, n] of Object.entries(outcome.results ?? {}))
    if (n > 0) metrics.events.inc({ result, source }, n);
  if (outcome.duplicate) metrics.events.inc({ result: "duplicate", source }, outcome.duplicate);
}

/** The request headers as a plain record, lower-case names. */
export function headersOf(c: Context): Headers {
  const out: Headers = {};
  c.req.raw.headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}
