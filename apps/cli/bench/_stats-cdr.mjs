// The generated CDR files `sipcode stats` is measured on (bench/run.mjs and
// bench/stats-mawk.mjs), in one place so both read the same bytes.
import { createWriteStream } from "node:fs";

const codes = [200, 200, 200, 200, 200, 200, 486, 487, 603, 500, 404, 480, 503, 408];
const causes = {
  200: "NORMAL_CLEARING",
  486: "USER_BUSY",
  487: "ORIGINATOR_CANCEL",
  603: "CALL_REJECTED",
  500: "NORMAL_TEMPORARY_FAILURE",
  404: "UNALLOCATED_NUMBER",
  480: "NO_USER_RESPONSE",
  503: "NORMAL_CIRCUIT_CONGESTION",
  408: "RECOVERY_ON_TIMER_EXPIRE",
};
/** A generic CSV (code in column 6) or a FreeSWITCH mod_cdr_csv file (sip_term_status in column 11, empty on every fifth failure). */
export async function generate(file, rows, kind) {
  const out = createWriteStream(file);
  out.write(
    kind === "freeswitch"
      ? "uuid,direction,caller_id_number,destination_number,start_stamp,answer_stamp,end_stamp,duration,billsec,hangup_cause,sip_term_status,sip_gateway_name,accountcode\n"
      : "call_id,start_time,trunk,customer,direction,sip_code,duration\n",
  );
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const code = codes[(i * 7919) % codes.length];
    const mm = String(Math.floor(i / 60000) % 60).padStart(2, "0");
    if (kind === "freeswitch") {
      const term = i % 5 === 0 && code !== 200 ? "" : String(code);
      chunk += `c${i},${i % 3 ? "outbound" : "inbound"},+4420712${i % 100000},+49151${i % 1000000},2026-11-26 10:${mm}:00,${code === 200 ? `2026-11-26 10:${mm}:03` : ""},2026-11-26 10:${mm}:50,50,${code === 200 ? 47 : 0},${causes[code]},${term},gw-${i % 20},cust-${i % 500}\n`;
    } else {
      chunk += `c${i},2026-11-26T10:${mm}:00Z,trunk-${i % 20},cust-${i % 500},${i % 3 ? "outbound" : "inbound"},${code},${code === 200 ? 60 : 0}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise((r) => out.once("finish", r));
}
