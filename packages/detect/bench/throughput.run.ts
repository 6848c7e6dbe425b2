// `pnpm --filter @sipcodes/detect bench`: one million events through the
// detector on the 60 s replay clock, with and without the incident tracker.
// Prints events/s; asserts nothing.
import { it } from "vitest";
import { createDetector } from "../src/detector.ts";
import { trackIncidents } from "../src/incidents.ts";
import { replayClock } from "../src/replay.ts";
import type { CallEvent } from "../src/types.ts";

const T = Date.UTC(2026, 0, 5);

it("throughput", () => {
  const events: CallEvent[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const trunk = i % 2 ? "A" : "B";
    events.push({
      time: T + Math.floor((i * 60_000) / 200),
      code: i % 97 === 0 ? 500 : i % 53 === 0 ? 603 : 200,
      trunk,
      direction: trunk === "A" ? "outbound" : "inbound",
      customer: `c${i % 40}`,
    });
  }
  const lines: string[] = [];
  for (const incidents of [false, true, false, true]) {
    const d = createDetector();
    const clock = replayClock(d, 60);
    const tracker = trackIncidents(d);
    let evaluating = 0;
    const start = performance.now();
    for (const e of events) {
      for (const now of clock.due(e.time)) {
        const a = performance.now();
        const transitions = d.evaluate(now);
        if (incidents) tracker.update(now, transitions);
        evaluating += performance.now() - a;
      }
      d.observe(e);
    }
    const ms = performance.now() - start;
    lines.push(
      `${incidents ? "with incidents" : "detector only "}  ${Math.round(events.length / (ms / 1000)).toLocaleString("en-US")} events/s  (evaluations ${Math.round(evaluating)} ms of ${Math.round(ms)} ms)`,
    );
  }
  console.log(`\n${lines.join("\n")}\n`);
});
