// The generated CDR file the backtest benchmarks replay (bench/report.mjs and
// bench/backtest.mjs), in one place so both measure the same input.
import { createWriteStream } from "node:fs";

export const ROWS = 1_000_000;
export const PER_MINUTE = 200;

/**
 * ROWS calls at PER_MINUTE a minute over 20 trunks and 500 customers, 603 on
 * 1 % of them; every 12 hours one trunk sends 603 on a third of its calls
 * for 30 minutes, and once the whole platform does for 20 minutes.
 */
export async function generate(file) {
  const out = createWriteStream(file);
  out.write("call_id,start_time,trunk,customer,direction,sip_code,duration\n");
  const start = Date.parse("2026-11-20T00:00:00Z");
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    const minute = Math.floor(i / PER_MINUTE);
    const trunk = i % 20;
    const inDay = minute % 720;
    const spike =
      (inDay >= 400 && inDay < 430 && trunk === (Math.floor(minute / 720) * 7) % 20) ||
      (minute >= 3000 && minute < 3020);
    // Every trunk's own 100th call: the 1 % falls evenly on every trunk.
    const code =
      spike && i % 3 === 0 ? 603 : Math.floor(i / 20) % 100 === 7 ? 603 : i % 9 === 0 ? 486 : 200;
    const time = new Date(start + minute * 60_000 + (i % PER_MINUTE) * 300).toISOString();
    chunk += `c${i},${time},trunk-${trunk},cust-${i % 500},${i % 3 ? "outbound" : "inbound"},${code},${code === 200 ? 60 : 0}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise((r) => out.once("finish", r));
}
