import { it } from "vitest";
import { createDetector } from "../src/detector.ts";
import { trackIncidents } from "../src/incidents.ts";
import { replayClock } from "../src/replay.ts";
import { generate, MIN, scenarios, T0 } from "./scenarios.ts";

it("debug", () => {
  const s = scenarios().find((x) => x.name.includes(process.env.BENCH_ONLY ?? ""))!;
  const seed = Number(process.env.SEED ?? 1);
  const d = createDetector(s.config);
  const tr = trackIncidents(d);
  const clock = replayClock(d, 60);
  const step = (times: number[]) => {
    for (const now of times) {
      for (const t of d.evaluate(now))
        if (t.scope.kind !== "customer" || process.env.CUST)
          console.log(
            (now - T0) / MIN,
            t.rule,
            t.scope.key,
            `${t.from}->${t.to}`,
            t.status,
            `w${t.windowMinutes} ${t.count}/${t.calls} lo=${t.wilsonLower.toFixed(4)} b=${t.baseline.toFixed(4)} th=${t.threshold.toFixed(4)} llr=${t.llr?.toFixed(1)} k=${t.changeMinutes} ${t.changeCount}/${t.changeCalls}`,
          );
      for (const c of tr.update(now))
        console.log((now - T0) / MIN, "INCIDENT", c.change, c.incident.id);
    }
  };
  for (const e of generate(s, seed)) {
    step(clock.due(e.time));
    d.observe(e);
  }
  step(clock.due(T0 + s.minutes * MIN));
});
