// The SQLite store's insert path alone, in-process: batches of 1,000 events
// (the shape bench/run.mjs posts) through SqliteStore.insertEvents into a
// fresh file, with CPU time per event of the calling thread (what the
// alerter's main thread spends) and of the whole process (the checkpoint
// thread included), and wall time.
//   npx tsx bench/sqlite-insert.mjs [batches] [store module]   (default 300, ../src/io/sqlite-store.ts)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const batches = Number(process.argv[2] ?? 300);
const module = process.argv[3]
  ? pathToFileURL(process.argv[3]).href
  : new URL("../src/io/sqlite-store.ts", import.meta.url).href;
const { SqliteStore } = await import(module);

/** CPU seconds of this process's main thread (/proc/self/task/<pid>/stat). */
function mainThreadCpu() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

const dir = mkdtempSync(join(tmpdir(), "alerter-sqlite-bench-"));
const store = new SqliteStore(join(dir, "alerter.db"));
const all = [];
for (let b = 0; b < batches; b++) {
  const events = [];
  for (let i = 0; i < 1000; i++)
    events.push({
      id: `${process.pid}-${b}-${i}`,
      time: 1_700_000_000_000 + b,
      code: i % 50 === 0 ? 603 : i % 97 === 0 ? 500 : 200,
      direction: i % 2 ? "inbound" : "outbound",
      trunk: `trunk-${i % 50}`,
      customer: `cust-${i % 500}`,
    });
  all.push(events);
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const main0 = mainThreadCpu();
let stored = 0;
for (const events of all) stored += (await store.insertEvents(events, Date.now())).inserted.length;
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const main = mainThreadCpu() - main0;
await store.close();
rmSync(dir, { recursive: true, force: true });
const n = batches * 1000;
console.log(
  JSON.stringify({
    events: n,
    stored,
    wallUsPerEvent: Number(((wall * 1000) / n).toFixed(2)),
    mainThreadCpuUsPerEvent: Number(((main * 1e6) / n).toFixed(2)),
    processCpuUsPerEvent: Number(((cpu.user + cpu.system) / n).toFixed(2)),
  }),
);
