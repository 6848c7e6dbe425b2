import { it } from "vitest";
import { run, scenarios } from "./scenarios.ts";

it("seeds", () => {
  const s = scenarios().find((x) => x.name.includes(process.env.BENCH_ONLY ?? ""))!;
  for (let seed = 1; seed <= Number(process.env.BENCH_SEEDS ?? 10); seed++) {
    const r = run(s, seed);
    console.log(
      seed,
      JSON.stringify({ d: r.delays, f: r.falseIncidents, rf: r.refires, inc: r.incidentsPerEvent }),
    );
  }
});
