import { describe, expect, it } from "vitest";
import { CdrParser, type CdrRow, type ReaderOptions } from "./reader.ts";

/** Reads `text` and returns the codes counted (rows and lean calls alike), in the order they came. */
function read(text: string, options: ReaderOptions = {}) {
  const codes: number[] = [];
  const lines: number[] = [];
  const parser = new CdrParser(
    (row: CdrRow) => {
      codes.push(row.code);
      lines.push(row.line);
    },
    { ...options, onCall: (code) => codes.push(code) },
  );
  parser.pushBytes(Buffer.from(text));
  const result = parser.end();
  return { codes, lines, result };
}

const acc = "method\tfrom_tag\tto_tag\tcallid\tsip_code\tsip_reason\ttime\n";
const row = (callid: string, code: number, time: string, tag = `f-${callid}`, method = "INVITE") =>
  `${method}\t${tag}\tt\t${callid}\t${code}\tx\t2026-11-26 ${time}\n`;

describe("digest challenges in Kamailio acc rows", () => {
  it("counts a challenge and its retry (same Call-ID and From tag) as the retry's one attempt", () => {
    const { codes, result } = read(acc + row("a", 407, "10:00:00") + row("a", 200, "10:00:04"), {
      format: "kamailio-acc",
    });
    expect(codes).toEqual([200]);
    expect(result.rows).toBe(1);
    expect(result.rowsRead).toBe(2);
    expect(result.skipped["auth-retried"]).toMatchObject({ count: 1, lines: [2] });
    expect(result.skipped["auth-retried"].example).toContain("407 challenge of call a");
    expect(result.challenges).toMatchObject({ retried: 1, unretried: 0, evicted: 0 });
  });

  it("keeps a challenge with no retry as an attempt with its own code", () => {
    const { codes, result } = read(acc + row("a", 401, "10:00:00") + row("b", 486, "10:00:02"), {
      format: "kamailio-acc",
    });
    expect(codes.sort()).toEqual([401, 486]);
    expect(result.skipped["auth-retried"].count).toBe(0);
    expect(result.challenges).toMatchObject({ retried: 0, unretried: 1 });
  });

  it("pairs interleaved calls by their own call, and a chain of challenges ends at the last row", () => {
    const { codes, lines, result } = read(
      acc +
        row("a", 407, "10:00:00") + // line 2: retried by line 5
        row("b", 401, "10:00:00") + // 3: retried by 4
        row("b", 200, "10:00:01") + // 4
        row("a", 407, "10:00:01") + // 5: wrong password, retried by 7
        row("c", 407, "10:00:02") + // 6: never retried
        row("a", 486, "10:00:03") + // 7
        row("b", 200, "10:00:09", "f-b", "BYE"), // 8
      { format: "kamailio-acc" },
    );
    expect(result.rows).toBe(3);
    expect(codes.sort()).toEqual([200, 407, 486]);
    expect(lines.sort()).toEqual([4, 6, 7]);
    expect(result.skipped["auth-retried"]).toMatchObject({ count: 3, lines: [2, 3, 5] });
    expect(result.skipped["auth-retried"].example).toContain("of call a, retried at line 5");
    expect(result.skipped["non-invite"].count).toBe(1);
    expect(result.challenges).toMatchObject({ retried: 3, unretried: 1 });
  });

  it("does not take an INVITE with another From tag for the retry", () => {
    const { codes, result } = read(
      acc + row("a", 407, "10:00:00", "one") + row("a", 200, "10:00:01", "two"),
      { format: "kamailio-acc" },
    );
    expect(codes.sort()).toEqual([200, 407]);
    expect(result.challenges).toMatchObject({ retried: 0, unretried: 1 });
  });

  it("counts a challenge whose retry comes after the window as an attempt, and the late row as another", () => {
    const { codes, result } = read(acc + row("a", 407, "10:00:00") + row("a", 200, "10:11:00"), {
      format: "kamailio-acc",
    });
    expect(codes).toEqual([407, 200]);
    expect(result.challenges).toMatchObject({ retried: 0, unretried: 1, evicted: 0 });
  });

  it("holds at most maxPending challenges, and says which retries came after theirs was counted", () => {
    const { codes, result } = read(
      acc +
        row("a", 407, "10:00:00") +
        row("b", 407, "10:00:00") +
        row("c", 407, "10:00:00") + // a is let go here
        row("a", 200, "10:00:01") + // a late retry: call a counted twice
        row("b", 200, "10:00:01") +
        row("c", 480, "10:00:02"),
      { format: "kamailio-acc", retries: { maxPending: 2 } },
    );
    expect(codes).toEqual([407, 200, 200, 480]);
    expect(result.challenges).toEqual({
      retried: 2,
      unretried: 1,
      evicted: 1,
      lateRetries: 1,
      maxPending: 2,
      windowSeconds: 600,
    });
    expect(result.warnings.join("\n")).toContain("1 of them were retried later");
  });

  it("counts every row when retries is false", () => {
    const { codes, result } = read(acc + row("a", 407, "10:00:00") + row("a", 200, "10:00:01"), {
      format: "kamailio-acc",
      retries: false,
    });
    expect(codes).toEqual([407, 200]);
    expect(result.challenges).toBeUndefined();
  });
});

describe("digest challenges in other formats", () => {
  const generic = "call_id,start_time,trunk,sip_code,duration\n";
  const g = (id: string, code: number, t: string) =>
    `${id},2026-11-26T10:00:${t}Z,t1,${code},${code === 200 ? 30 : 0}\n`;
  const text =
    generic + g("x", 401, "00") + g("y", 486, "01") + g("x", 200, "02") + g("z", 407, "03");

  it("pairs generic rows by their Call-ID column, on the byte path and the text path alike", () => {
    for (const textOnly of [false, true]) {
      const { codes, result } = read(text, { fields: { duration: true }, textOnly });
      expect(codes.sort()).toEqual([200, 407, 486]);
      expect(result.skipped["auth-retried"]).toMatchObject({ count: 1, lines: [2] });
      expect(result.columns?.callid).toBe("call_id");
    }
  });

  it("leaves a generic file without a Call-ID column alone", () => {
    const { codes, result } = read("sip_code\n401\n200\n");
    expect(codes).toEqual([401, 200]);
    expect(result.challenges).toBeUndefined();
  });

  it("leaves formats with one row per call alone (FreeSWITCH, Asterisk, Teams)", () => {
    const fs =
      "uuid,start_stamp,billsec,hangup_cause,sip_term_status,sip_call_id\n" +
      "u1,2026-11-26 10:00:00,0,CALL_REJECTED,407,same\n" +
      "u2,2026-11-26 10:00:01,30,NORMAL_CLEARING,200,same\n";
    const ast = [
      '"","1001","2002","ctx","","SIP/a-1","SIP/b-2","Dial","","2026-11-26 10:00:00","","2026-11-26 10:00:01",1,0,"FAILED","DOCUMENTATION","id1"',
      '"","1001","2002","ctx","","SIP/a-1","SIP/b-2","Dial","","2026-11-26 10:00:01","2026-11-26 10:00:02","2026-11-26 10:00:32",31,30,"ANSWERED","DOCUMENTATION","id1"',
    ].join("\n");
    const teams =
      '{"id":"1","callId":"c1","finalSipCode":407,"successfulCall":false,"trunkFullyQualifiedDomainName":"sbc"}\n{"id":"2","callId":"c1","finalSipCode":0,"successfulCall":true,"trunkFullyQualifiedDomainName":"sbc"}\n';
    for (const [format, file, rows] of [
      ["freeswitch", fs, 2],
      ["asterisk", ast, 1],
      ["teams", teams, 2],
    ] as const) {
      const { result } = read(file);
      expect(result.detected.format).toBe(format);
      expect(result.challenges).toBeUndefined();
      expect(result.skipped["auth-retried"].count).toBe(0);
      expect(result.rows).toBe(rows);
    }
  });
});

describe("Kamailio acc log lines", () => {
  const prefix = " 1(8361) NOTICE: acc [acc.c:287]: acc_log_request(): ";
  const line = (event: string, callid: string, code: number, reason: string, method = "INVITE") =>
    `${prefix}ACC: ${event}: timestamp=1796236105;method=${method};from_tag=f-${callid};to_tag=t${code};call_id=${callid};code=${code};reason=${reason}\n`;

  it("reads the acc records among other log lines, passing over the rest", () => {
    const { codes, result } = read(
      " 0(8359) INFO: <core> [main.c:3055]: main(): processes (at least): 7\n" +
        line("call missed", "a@h", 407, "Proxy Authentication Required") +
        line("transaction answered", "a@h", 407, "Proxy Authentication Required") +
        line("transaction answered", "a@h", 200, "OK") +
        line("call missed", "b@h", 486, "Busy; try later") +
        line("transaction answered", "b@h", 486, "Busy; try later") +
        line("transaction answered", "a@h", 200, "OK", "BYE"),
      { fields: { reason: true } },
    );
    expect(result.format).toBe("acc-log");
    expect(result.detected).toMatchObject({ format: "kamailio-acc", auto: true });
    expect(result.otherLines).toBe(1);
    expect(result.rowsRead).toBe(6);
    expect(codes.sort()).toEqual([200, 486]);
    expect(result.skipped["acc-missed"]).toMatchObject({ count: 2, lines: [2, 5] });
    expect(result.skipped["auth-retried"]).toMatchObject({ count: 1, lines: [3] });
    expect(result.columns).toMatchObject({ code: "code", callid: "call_id", time: "timestamp" });
    expect(result.warnings).toEqual([]);
  });

  it("warns when failed calls are only in call missed lines", () => {
    const { result } = read(
      line("transaction answered", "a@h", 200, "OK") + line("call missed", "b@h", 486, "Busy"),
    );
    expect(result.warnings.join("\n")).toContain("failed_transaction_flag");
  });

  it("refuses a log file read as another format", () => {
    expect(() => read(line("transaction answered", "a@h", 200, "OK"), { format: "teams" })).toThrow(
      /--format kamailio-acc/,
    );
  });
});
