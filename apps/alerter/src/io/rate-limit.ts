import type { MiddlewareHandler } from "hono";
import type { Metrics } from "./metrics.ts";
import { sendProblem } from "./problem.ts";

/** A token bucket over events per second; `take` answers how long to wait when empty. */
export class EventRate {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(n: number): number {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= n || (n > this.rate && this.tokens >= this.rate)) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil((n - this.tokens) / this.rate);
  }
}

/** At most `max` requests in flight at once; the next one gets a 503 with Retry-After, never a queue. */
export function inFlightLimit(max: number, metrics: Metrics): MiddlewareHandler {
  let inFlight = 0;
  return async (c, next) => {
    if (inFlight >= max) {
      metrics.throttled.inc({ status: "503" });
      return sendProblem(
        c,
        "overloaded",
        "Too many ingest requests at once; retry after the delay.",
        {
          headers: { "retry-after": "1" },
        },
      );
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
