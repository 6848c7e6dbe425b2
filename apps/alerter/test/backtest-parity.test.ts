// The CLI's `sipcode alerts backtest` and the alerter (event clock) must make
// the same decisions on the same events. This runs the real alerter engine
// (SQLite store in a temp dir) on a day-part of events, runs the built CLI
// (apps/cli/dist/sipcode.cjs) on the same events written as a CDR file with
// the same config file and interval, and compares every transition: rule,
// scope, from, to, incident id, evaluation time, calls, count, rate, Wilson
// bound and threshold.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IncidentChangeLine } from "@sipcodes/detect";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type AlerterConfigInput, parseConfig } from "../src/config.ts";
import type { CallRecord } from "../src/domain/event.ts";
import { Engine } from "../src/io/engine.ts";
import { createMetrics } from "../src/io/metrics.ts";
import { SqliteStore } from "../src/io/sqlite-store.ts";
import { tempDir } from "./helpers.ts";

const cliDir = fileURLToPath(new URL("../../cli/", import.meta.url));
const bin = join(cliDir, "dist", "sipcode.cjs");

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

/** Builds the CLI when its bundle is missing or older than the CLI's or detect's sources. */
function ensureCli(): void {
  const built = existsSync(bin) ? statSync(join(cliDir, "dist", "backtest.cjs")).mtimeMs : 0;
  const sources = Math.max(
    newest(join(cliDir, "src")),
    newest(fileURLToPath(new URL("../../../packages/detect/src/", import.meta.url))),
  );
  if (built < sources) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: cliDir });
}

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const MINUTES = 240;

/**
 * Four hours of calls on three trunks, at odd seconds within each minute: 1 %
 * 603 and 0.5 % 500 everywhere, a 603 spike on trunk-1 (inbound) from minute
 * 150 to 180 and a short 500 burst on trunk-2 at minute 200.
 */
function events(): CallRecord[] {
  const out: CallRecord[] = [];
  let n = 0;
  for (let m = 0; m < MINUTES; m++) {
    for (let k = 0; k < 45; k++, n++) {
      const trunk = `trunk-${k % 3}`;
      const spike = trunk === "trunk-1" && m >= 150 && m < 180 && k % 2 === 0;
      const burst = trunk === "trunk-2" && m >= 200 && m < 203 && k % 3 === 2;
      const code = spike ? 603 : burst ? 500 : n % 100 === 7 ? 603 : n % 200 === 3 ? 500 : 200;
      out.push({
        id: `e${n}`,
        time: T0 + m * 60_000 + 1_337 * k + 211,
        code,
        direction: k % 2 === 0 ? "inbound" : "outbound",
        trunk,
        customer: `cust-${k % 5}`,
      });
    }
  }
  return out;
}

const detector = {
  baselineMinutes: 60,
  minBaselineCalls: 500,
  customers: { minCalls: 100 },
  rules: [
    { id: "sip-603", codes: [603], windows: [5, 15], minCalls: 30 },
    { id: "sip-500", codes: [500], fireAfter: 1, resolveAfter: 2, minCount: 3 },
  ],
};

interface Seen {
  rule: string;
  scope: string;
  from: string;
  to: string;
  incidentId: string;
  time: string;
  calls: number;
  count: number;
  rate: number;
  wilsonLower: number;
  threshold: number;
}

interface Run {
  transitions: Seen[];
  incidents: IncidentChangeLine[];
}

/** The alerter's transitions and incident changes (from its log lines), events fed in batches of 500. */
async function alerter(input: AlerterConfigInput, all: CallRecord[], dir: string): Promise<Run> {
  const seen: Seen[] = [];
  const incidents: IncidentChangeLine[] = [];
  const logger = pino(
    { level: "info" },
    {
      write(line: string) {
        const { msg, level, pid, hostname, ...t } = JSON.parse(line);
        if (msg === "alert transition") seen.push(t as Seen);
        if (msg === "incident change") incidents.push(t as IncidentChangeLine);
      },
    },
  );
  const store = new SqliteStore(join(dir, "alerter.db"));
  const metrics = createMetrics({ alertsByState: () => ({}), outboxCounts: async () => ({}) });
  const engine = await Engine.open({ config: parseConfig(input), store, logger, metrics });
  for (let i = 0; i < all.length; i += 500) await engine.ingest(all.slice(i, i + 500));
  // The CLI's last evaluation is the one after the last event: bring the alerter's clock there.
  const step = input.evaluation!.intervalSeconds! * 1000;
  await engine.evaluate((Math.floor(all.at(-1)!.time / step) + 1) * step);
  await engine.drain();
  await store.close();
  return { transitions: seen, incidents };
}

/** The CLI's transitions and incident changes for the same events as a CDR CSV, in the alerter's log shape. */
async function cli(configFile: string, csv: string, interval: number): Promise<Run> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        bin,
        "alerts",
        "backtest",
        csv,
        "--config",
        configFile,
        "--interval",
        String(interval),
        "--json",
      ],
      { maxBuffer: 64 << 20 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  const out = JSON.parse(stdout) as {
    transitions: (Omit<Seen, "scope" | "time"> & { scope: { key: string }; time: number })[];
    incidentChanges: IncidentChangeLine[];
  };
  const transitions = out.transitions.map((t) => ({
    rule: t.rule,
    scope: t.scope.key,
    from: t.from,
    to: t.to,
    incidentId: t.incidentId,
    time: new Date(t.time).toISOString(),
    calls: t.calls,
    count: t.count,
    rate: t.rate,
    wilsonLower: t.wilsonLower,
    threshold: t.threshold,
  }));
  return { transitions, incidents: out.incidentChanges };
}

describe("sipcode alerts backtest replays what the alerter does", () => {
  const tmp = tempDir();
  const all = events();
  const csv = join(tmp.dir, "cdr.csv");
  beforeAll(() => {
    ensureCli();
    const lines = ["time,sip_code,trunk,direction,customer"];
    for (const e of all) {
      lines.push(
        `${new Date(e.time).toISOString()},${e.code},${e.trunk},${e.direction},${e.customer}`,
      );
    }
    writeFileSync(csv, `${lines.join("\n")}\n`);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  test.each([30, 60, 90, 300])("with a %i s interval", async (interval) => {
    const input = { evaluation: { clock: "event" as const, intervalSeconds: interval }, detector };
    // The CLI reads the alerter's own file: every section of it, as the alerter parsed it.
    const configFile = join(tmp.dir, `alerter-${interval}.json`);
    writeFileSync(configFile, JSON.stringify(parseConfig(input)));
    const dir = join(tmp.dir, `data-${interval}`);
    const [alerterRun, cliRun] = await Promise.all([
      alerter(input, all, dir),
      cli(configFile, csv, interval),
    ]);
    const fromAlerter = alerterRun.transitions;
    expect(cliRun.transitions).toEqual(fromAlerter);
    // The same incidents, changed at the same evaluations, with the same members and roles.
    expect(cliRun.incidents).toEqual(alerterRun.incidents);
    const opened = alerterRun.incidents.filter((c) => c.change === "opened");
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(alerterRun.incidents.filter((c) => c.change === "resolved").length).toBe(opened.length);
    // Fewer incidents than alert episodes: the folding happened.
    expect(opened.length).toBeLessThan(new Set(fromAlerter.map((t) => t.incidentId)).size);
    // Not vacuous: both rules fire and resolve, on the interval's grid.
    for (const rule of ["sip-603", "sip-500"]) {
      expect(fromAlerter.filter((t) => t.rule === rule).map((t) => t.to)).toEqual(
        expect.arrayContaining(["pending", "firing", "resolved"]),
      );
    }
    for (const t of fromAlerter) expect(Date.parse(t.time) % (interval * 1000)).toBe(0);
  });
});
