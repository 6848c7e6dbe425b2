// `BENCH_TRACE="<part of a scenario name>" BENCH_SEEDS=3 pnpm --filter @sipcodes/detect bench`:
// prints every incident change of the chosen scenario's runs (minute, change,
// id, root, members), to see which incidents open for an event and why.
// Skipped unless BENCH_TRACE is set; asserts nothing.
import { it } from "vitest";
import { run, scenarios } from "./scenarios.ts";

const TRACE = process.env.BENCH_TRACE;
const SEEDS = Number(process.env.BENCH_SEEDS ?? 3);
/** BENCH_TRACE_ALL=1: also the updates, with every member (else the first six). */
const VERBOSE = Boolean(process.env.BENCH_TRACE_ALL);

it.skipIf(!TRACE)("incident trace", () => {
  for (const s of scenarios()) {
    if (!TRACE || !s.name.includes(TRACE)) continue;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const lines: string[] = [];
      const r = run(s, seed, (minute, c) => {
        const i = c.incident;
        if (c.change === "updated" && !VERBOSE) return;
        const members = i.members
          .slice(0, VERBOSE ? undefined : 6)
          .map(
            (m) =>
              `${m.rule}@${m.scope.key} ${m.role}${m.status === "resolved" ? "(r)" : ""} ${m.reading.count}/${m.reading.calls}=${(m.reading.rate * 100).toFixed(1)}% thr ${((m.reading.threshold ?? 0) * 100).toFixed(1)}% w${m.reading.windowMinutes}`,
          )
          .join("; ");
        lines.push(
          `  m${minute} ${c.change} ${i.id}${i.mergedInto ? ` → ${i.mergedInto}` : ""} root ${i.root.scope.key} [${members}]`,
        );
      });
      console.log(
        `${s.name} seed ${seed}: incidents/event ${r.incidentsPerEvent.join(",")} delay ${r.delays.join(",")} clear ${r.allClear.join(",")} false ${r.falseIncidents}\n${lines.join("\n")}`,
      );
    }
  }
});
