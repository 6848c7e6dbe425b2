import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

/**
 * Each platform's sample CDR file, read two ways: by `sipcode stats` (the
 * built binary), and by a few lines of plain string handling in this file
 * that know the platform's columns and nothing of the reader. The two must
 * give the same figures, exactly.
 */

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const sample = (name: string) =>
  fileURLToPath(new URL(`./fixtures/formats/${name}`, import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sipcode(args: string[], input?: string | Buffer): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** The outcomes ITU-T E.411 counts as effective besides answers: busy, no answer, caller cancel, the callee's refusal. */
const EFFECTIVE = new Set([486, 600, 480, 487, 603, 607]);

interface Expected {
  rowsRead: number;
  codes: Record<number, number>;
  attempts: number;
  answered: number;
  asr: number;
  ner: number;
  acd: number | null;
  pdd?: number | null;
}

/** Figures from a list of (final code, duration) pairs: the independent arithmetic. */
function figures(rowsRead: number, calls: [code: number, seconds: number | undefined][]): Expected {
  const codes: Record<number, number> = {};
  let answered = 0;
  let effective = 0;
  let sum = 0;
  let timed = 0;
  for (const [code, seconds] of calls) {
    codes[code] = (codes[code] ?? 0) + 1;
    if (code < 300) {
      answered++;
      if (seconds !== undefined) {
        sum += seconds;
        timed++;
      }
    } else if (EFFECTIVE.has(code)) effective++;
  }
  return {
    rowsRead,
    codes,
    attempts: calls.length,
    answered,
    asr: answered / calls.length,
    ner: (answered + effective) / calls.length,
    acd: timed ? sum / timed : null,
  };
}

/** Plain lines of a file, header first, split on one separator (the samples quote nothing but Asterisk's). */
function lines(name: string, sep: string): string[][] {
  return readFileSync(sample(name), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(sep));
}

function byName(rows: string[][]): Record<string, string>[] {
  const [header, ...data] = rows;
  return data.map((cells) => Object.fromEntries((header ?? []).map((h, i) => [h, cells[i] ?? ""])));
}

const FREESWITCH_CAUSES: Record<string, number> = {
  USER_BUSY: 486,
  NO_ROUTE_DESTINATION: 404,
  ORIGINATOR_CANCEL: 487,
  NORMAL_TEMPORARY_FAILURE: 503,
  RECOVERY_ON_TIMER_EXPIRE: 504,
  NO_ANSWER: 480,
  // FreeSWITCH's own table (mod_sofia hangup_cause_to_sip), not RFC 3398's 403.
  CALL_REJECTED: 603,
};

const expected: Record<string, () => Expected> = {
  "freeswitch.csv": () => {
    const rows = byName(lines("freeswitch.csv", ","));
    const calls: [number, number | undefined][] = [];
    const delays: number[] = [];
    for (const r of rows) {
      const billsec = Number(r.billsec);
      const code = r.sip_term_status
        ? Number(r.sip_term_status)
        : r.proto_specific_hangup_cause?.startsWith("sip:")
          ? Number(r.proto_specific_hangup_cause.slice(4))
          : billsec > 0 || r.answer_stamp
            ? 200
            : FREESWITCH_CAUSES[r.hangup_cause ?? ""];
      if (code !== undefined) {
        calls.push([code, billsec]);
        // Post-dial delay: start to progress, where the row has both.
        if (r.progress_stamp && r.start_stamp)
          delays.push(Date.parse(`${r.progress_stamp}Z`) - Date.parse(`${r.start_stamp}Z`));
      }
    }
    return {
      ...figures(rows.length, calls),
      pdd: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
    };
  },
  "kamailio-acc.tsv": () => {
    // One row per transaction: an answered call lasts from its INVITE row
    // to the BYE row with the same callid (times are UTC wall clock).
    const rows = byName(lines("kamailio-acc.tsv", "\t"));
    const at = (r: Record<string, string>) => Date.parse(`${r.time?.replace(" ", "T")}Z`);
    const byeAt = new Map(rows.filter((r) => r.method === "BYE").map((r) => [r.callid, at(r)]));
    // A later INVITE of a call already answered is a re-INVITE inside it.
    const answeredAt = new Map<string | undefined, number>();
    const invites = rows.filter((r) => {
      if (r.method !== "INVITE") return false;
      const earlier = answeredAt.get(r.callid);
      if (earlier !== undefined && at(r) > earlier) return false;
      if (r.sip_code?.startsWith("2")) answeredAt.set(r.callid, at(r));
      return true;
    });
    return figures(
      rows.length,
      invites.map((r) => {
        const end = byeAt.get(r.callid);
        const answered = r.sip_code?.startsWith("2");
        return [
          Number(r.sip_code),
          answered && end !== undefined ? (end - at(r)) / 1000 : undefined,
        ];
      }),
    );
  },
  "Master.csv": () => {
    // Every Asterisk cell is quoted; a cell may hold a comma ("Smith, John").
    const rows = readFileSync(sample("Master.csv"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => [...l.matchAll(/"((?:[^"]|"")*)"|([^,]+)/g)].map((m) => m[1] ?? m[2] ?? ""));
    const disposition: Record<string, number> = {
      ANSWERED: 200,
      "NO ANSWER": 480,
      BUSY: 486,
      CONGESTION: 503,
    };
    const calls: [number, number | undefined][] = [];
    for (const cells of rows) {
      const code = disposition[cells[14] ?? ""];
      if (code !== undefined) calls.push([code, Number(cells[13])]);
    }
    return figures(rows.length, calls);
  },
  "teams.ndjson": () => {
    const rows = readFileSync(sample("teams.ndjson"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { finalSipCode: number; duration: number });
    return figures(
      rows.length,
      rows.map((r) => [r.finalSipCode === 0 ? 200 : r.finalSipCode, r.duration]),
    );
  },
  "twilio.csv": () => {
    const rows = byName(lines("twilio.csv", ","));
    const status: Record<string, number> = {
      completed: 200,
      busy: 486,
      "no-answer": 480,
      canceled: 487,
    };
    const calls: [number, number | undefined][] = [];
    for (const r of rows) {
      const code = status[r.status ?? ""];
      if (code !== undefined) calls.push([code, Number(r.duration)]);
    }
    return figures(rows.length, calls);
  },
  "telnyx.csv": () => {
    // Telnyx writes "unspecified" in sip_hangup_cause when it has no SIP
    // response; call_sec is the call's length (billed_sec is rounded up).
    const rows = byName(lines("telnyx.csv", ";"));
    const causes: Record<string, number> = { originator_cancel: 487, user_busy: 486 };
    const calls: [number, number | undefined][] = [];
    for (const r of rows) {
      const seconds = Number(r.call_sec);
      const code = /^\d{3}$/.test(r.sip_hangup_cause ?? "")
        ? Number(r.sip_hangup_cause)
        : seconds > 0
          ? 200
          : causes[r.hangup_cause ?? ""];
      if (code !== undefined) calls.push([code, seconds]);
    }
    return figures(rows.length, calls);
  },
};

const FORMAT_OF: Record<string, string> = {
  "freeswitch.csv": "freeswitch",
  "kamailio-acc.tsv": "kamailio-acc",
  "Master.csv": "asterisk",
  "teams.ndjson": "teams",
  "twilio.csv": "twilio",
  "telnyx.csv": "telnyx",
};

describe("sipcode stats on each platform's export", () => {
  it.each(Object.keys(expected))(
    "%s: detects the format and agrees with an independent count",
    async (name) => {
      const want = (expected[name] as () => Expected)();
      const r = await sipcode(["stats", sample(name), "--json"]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.files[0].detected).toMatchObject({ format: FORMAT_OF[name], auto: true });
      expect(out.rowsRead).toBe(want.rowsRead);
      expect(out.summary.attempts).toBe(want.attempts);
      expect(out.summary.answered).toBe(want.answered);
      expect(out.summary.asr).toBe(want.asr);
      expect(out.summary.ner).toBe(want.ner);
      expect(out.summary.acd).toBe(want.acd);
      expect(out.summary.pdd).toBe(want.pdd ?? null);
      expect(
        Object.fromEntries(
          out.summary.codes.map((c: { code: number; count: number }) => [c.code, c.count]),
        ),
      ).toEqual(want.codes);
      // Every row read is either counted or skipped with a reason.
      const skipped = Object.values(out.skipped as Record<string, { count: number }>).reduce(
        (n, t) => n + t.count,
        0,
      );
      expect(out.summary.attempts + skipped).toBe(want.rowsRead);
      // The same mapping when named instead of detected.
      const named = JSON.parse(
        (await sipcode(["stats", sample(name), "--format", FORMAT_OF[name] as string, "--json"]))
          .stdout,
      );
      expect(named.summary).toEqual(out.summary);
    },
  );

  it("counts only INVITE transactions that start a call in Kamailio acc, listing the others as skipped", async () => {
    const out = JSON.parse((await sipcode(["stats", sample("kamailio-acc.tsv"), "--json"])).stdout);
    expect(out.skipped["non-invite"]).toMatchObject({ count: 4, lines: [4, 7, 9, 13] });
    // The last row re-INVITEs an answered call: part of it, not an attempt.
    expect(out.skipped["in-dialog"]).toMatchObject({ count: 1, lines: [14] });
    expect(out.files[0].delimiter).toBe("\t");
    // Two answered calls have their BYE; the third has none, and one BYE has no INVITE.
    expect(out.files[0].pairing).toEqual({
      paired: 2,
      unpairedAnswers: 1,
      evicted: 0,
      unpairedByes: 1,
      maxPending: 50_000,
    });
    expect(out.summary).toMatchObject({ answered: 3, timedAnswers: 2, acd: (65 + 60) / 2 });
  });

  it("says which format it chose and why, on stderr", async () => {
    const r = await sipcode(["stats", sample("freeswitch.csv")]);
    expect(r.stderr).toMatch(/format freeswitch \(auto: header has hangup_cause, sip_term_status/);
    expect(r.stdout).toMatch(
      /columns: code=sip_term_status, protoCause=proto_specific_hangup_cause/,
    );
    expect(r.stdout).toMatch(/no usable outcome\s+1\s+first at line 12/);
  });
});

describe("sipcode stats reads Microsoft Graph pages as Graph returns them", () => {
  const pages = [sample("teams-graph-page1.json"), sample("teams-graph-page2.json")];
  // The pages hold the same calls as teams.ndjson, whose figures come from
  // the independent count above.
  const want = () => (expected["teams.ndjson"] as () => Expected)();

  it("reads several pages (files) without jq, to the same figures", async () => {
    const r = await sipcode(["stats", ...pages, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files.map((f: { format: string; pages: number }) => [f.format, f.pages])).toEqual([
      ["json", 1],
      ["json", 1],
    ]);
    expect(out.files[0].detected).toMatchObject({ format: "teams", auto: true });
    const w = want();
    expect(out.rowsRead).toBe(w.rowsRead);
    expect(out.summary).toMatchObject({
      attempts: w.attempts,
      answered: w.answered,
      asr: w.asr,
      ner: w.ner,
      acd: w.acd,
    });
    const text = await sipcode(["stats", ...pages]);
    expect(text.stdout).toMatch(/teams \(Graph JSON, 1 page; auto:/);
  });

  it("reads pages written one after another, minified or not, in any chunking", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-graph-"));
    const minified = pages.map((p) => JSON.stringify(JSON.parse(readFileSync(p, "utf8"))));
    const joined = join(dir, "all.json");
    writeFileSync(joined, `${minified.join("")}\n`);
    const gz = join(dir, "all.json.gz");
    writeFileSync(gz, gzipSync(Buffer.concat(pages.map((p) => readFileSync(p)))));
    const a = JSON.parse((await sipcode(["stats", joined, "--json"])).stdout);
    const b = JSON.parse((await sipcode(["stats", gz, "--json"])).stdout);
    const c = JSON.parse((await sipcode(["stats", "-", "--json"], minified.join("\n"))).stdout);
    const plain = JSON.parse((await sipcode(["stats", sample("teams.ndjson"), "--json"])).stdout);
    for (const out of [a, b, c]) {
      expect(out.files[0].pages).toBe(2);
      expect(out.summary).toEqual(plain.summary);
    }
  });

  it("refuses a cut-off page and a PSTN call log with a one-line reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-graph-"));
    const cut = join(dir, "cut.json");
    writeFileSync(cut, readFileSync(pages[0] as string, "utf8").slice(0, 2500));
    const r = await sipcode(["stats", cut]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /cut\.json: the JSON ends inside page 1, after 2 items of value in all/,
    );
    const pstn = join(dir, "pstn.json");
    writeFileSync(
      pstn,
      JSON.stringify({
        "@odata.context":
          "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.callRecords.pstnCallLogRow)",
        value: [{ id: "x", callId: "1", callType: "user_out", duration: 30, charge: 0.1 }],
      }),
    );
    const p = await sipcode(["stats", pstn]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/Graph PSTN call log \(getPstnCalls\).*no SIP outcome/);
    expect(p.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("sipcode stats refuses figures it cannot stand behind", () => {
  it("exits 3 with the counted table on stderr when most rows give no outcome", async () => {
    // The generic mapping picks Twilio's text Status column as the code.
    const r = await sipcode(["stats", sample("twilio.csv"), "--format", "generic"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /a value that could not be read\s+8\s+first at line 2, 3, 4, 5, 6: "completed"/,
    );
    expect(r.stderr).toMatch(/8 of 8 rows \(100\.0%\) gave no usable outcome/);
    expect(r.stderr).not.toMatch(/No failures/);
    const json = await sipcode(["stats", sample("twilio.csv"), "--format", "generic", "--json"]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).unusable).toMatchObject({ count: 8, trusted: false });
  });

  it("exits 3 for a file with a header and no rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "empty.csv");
    writeFileSync(file, "sip_code,trunk\n");
    const r = await sipcode(["stats", file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no call attempts were counted/);
  });

  it("skips a Teams row whose finalSipCode 0 (success) contradicts successfulCall false", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "teams.ndjson");
    const rows = [
      { finalSipCode: 0, successfulCall: true, callEndSubReason: 540000, duration: 30 },
      { finalSipCode: 0, successfulCall: false, callEndSubReason: 0, duration: 0 },
      { finalSipCode: 486, successfulCall: false, callEndSubReason: 560486, duration: 0 },
    ];
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const out = JSON.parse((await sipcode(["stats", file, "--json"])).stdout);
    expect(out.summary).toMatchObject({ attempts: 2, answered: 1 });
    expect(out.skipped["no-outcome"]).toMatchObject({ count: 1, lines: [2] });
  });

  it("asks for --format when a header fits two platforms equally (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "both.csv");
    writeFileSync(
      file,
      "sid,status,direction,method,sip_code,callid\nCA1,completed,inbound,INVITE,200,x\n",
    );
    const r = await sipcode(["stats", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /fits kamailio-acc and twilio equally well; name the format with --format/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("sipcode stats reads files as people have them", () => {
  it("reads .gz by its magic bytes, from a file and from stdin", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const gz = join(dir, "fs.csv.gz");
    const bytes = gzipSync(readFileSync(sample("freeswitch.csv")));
    writeFileSync(gz, bytes);
    const plain = JSON.parse((await sipcode(["stats", sample("freeswitch.csv"), "--json"])).stdout);
    const fromFile = JSON.parse((await sipcode(["stats", gz, "--json"])).stdout);
    const fromStdin = JSON.parse((await sipcode(["stats", "-", "--json"], bytes)).stdout);
    expect(fromFile.summary).toEqual(plain.summary);
    expect(fromStdin.summary).toEqual(plain.summary);
    const broken = join(dir, "broken.csv.gz");
    writeFileSync(broken, bytes.subarray(0, 40));
    const r = await sipcode(["stats", broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.csv\.gz: /);
  });

  it("reads a large file on two threads to the same figures as one thread", async () => {
    // With --threads 2 (auto does it only from 160 MiB), a plain CSV is read in blocks by this thread and a worker
    // thread; stdin is always read by one. Bad rows and quoted cells are
    // sprinkled through so that skipped lines must be numbered right.
    const dir = mkdtempSync(join(tmpdir(), "sipcode-split-"));
    const file = join(dir, "big.csv");
    const codes = ["200", "200", "486", "503", "404", "487", "603"];
    const rows: string[] = ["call_id,start_time,trunk,sip_code,duration"];
    for (let i = 0; rows.length < 700_000; i++) {
      const code = i % 99_991 === 7 ? "abc" : (codes[i % codes.length] as string);
      const trunk = i % 50_000 === 3 ? '"gw, quoted"' : `gw-${i % 9}`;
      rows.push(`c${i},2026-11-26T10:00:00Z,${trunk},${code},${code === "200" ? i % 300 : 0}`);
    }
    writeFileSync(file, `${rows.join("\n")}\n`);
    const threads = JSON.parse((await sipcode(["stats", file, "--threads", "2", "--json"])).stdout);
    const one = JSON.parse((await sipcode(["stats", "-", "--json"], readFileSync(file))).stdout);
    expect(threads.files[0].threads).toBe(2);
    expect(one.files[0].threads).toBeUndefined();
    const forcedOne = JSON.parse(
      (await sipcode(["stats", file, "--threads", "1", "--json"])).stdout,
    );
    expect(forcedOne.files[0].threads).toBeUndefined();
    expect(forcedOne.summary).toEqual(threads.summary);
    // About 31 MB: under the size from which a second thread pays, so the
    // default reads it on one, whatever the machine's load.
    const auto = JSON.parse((await sipcode(["stats", file, "--json"])).stdout);
    expect(auto.files[0].threads).toBeUndefined();
    expect(auto.summary).toEqual(threads.summary);
    expect(threads.summary.attempts).toBeGreaterThan(690_000);
    expect(threads.summary).toEqual(one.summary);
    expect(threads.skipped).toEqual(one.skipped);
    expect(threads.badRows).toEqual(one.badRows);
    expect(threads.skipped["bad-value"].lines[0]).toBe(9);
  });

  it("refuses zstd with a way around it", async () => {
    const r = await sipcode(["stats", "-"], Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zstd -dc FILE \| sipcode stats -/);
  });

  it("adds up several files, each with its own format", async () => {
    const out = JSON.parse(
      (await sipcode(["stats", sample("freeswitch.csv"), sample("kamailio-acc.tsv"), "--json"]))
        .stdout,
    );
    const fs = (expected["freeswitch.csv"] as () => Expected)();
    const k = (expected["kamailio-acc.tsv"] as () => Expected)();
    expect(out.files.map((f: { detected: { format: string } }) => f.detected.format)).toEqual([
      "freeswitch",
      "kamailio-acc",
    ]);
    expect(out.summary.attempts).toBe(fs.attempts + k.attempts);
    expect(out.summary.answered).toBe(fs.answered + k.answered);
  });

  it("reads a BOM and CRLF line ends the same as plain lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "crlf.tsv");
    writeFileSync(
      file,
      `\uFEFF${readFileSync(sample("kamailio-acc.tsv"), "utf8").replaceAll("\n", "\r\n")}`,
    );
    const a = JSON.parse((await sipcode(["stats", file, "--json"])).stdout);
    const b = JSON.parse((await sipcode(["stats", sample("kamailio-acc.tsv"), "--json"])).stdout);
    expect(a.summary).toEqual(b.summary);
  });

  it("takes --trunk-column, --since/--until and groups by hour", async () => {
    const byCustomer = JSON.parse(
      (
        await sipcode([
          "stats",
          sample("freeswitch.csv"),
          "--trunk-column",
          "accountcode",
          "--by",
          "trunk",
          "--json",
        ])
      ).stdout,
    );
    expect(byCustomer.summary.groups.map((g: { key: string }) => g.key)).toEqual([
      "acme",
      "globex",
    ]);
    const late = JSON.parse(
      (
        await sipcode([
          "stats",
          sample("freeswitch.csv"),
          "--since",
          "2026-11-26T11:00:00Z",
          "--json",
        ])
      ).stdout,
    );
    // Rows 10 and 12 start after 11:00 (row 11, normal clearing without an answer, is no attempt).
    expect(late.summary.attempts).toBe(2);
    expect(late.outsideWindow).toBe(9);
    const hours = JSON.parse(
      (await sipcode(["stats", sample("freeswitch.csv"), "--by", "hour", "--json"])).stdout,
    );
    expect(
      hours.summary.groups.map((g: { key: string; attempts: number }) => [g.key, g.attempts]),
    ).toEqual([
      ["2026-11-26T10", 9],
      ["2026-11-26T11", 2],
    ]);
    const bad = await sipcode(["stats", sample("freeswitch.csv"), "--until", "soon"]);
    expect(bad.code).toBe(2);
  });

  it("warns about direction values it cannot fold to inbound or outbound", async () => {
    const r = await sipcode(["stats", sample("twilio.csv"), "--by", "direction"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: direction "trunking-originating" \(1 row\)/);
    expect(r.stdout).toMatch(/outbound\s+5/);
  });

  it("gives each call the outcome its direction has under the profile", async () => {
    // jola's own 603 (a cost ceiling) comes from its outbound platform only;
    // an inbound 603 is the callee's Decline, which E.411 counts as effective.
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "directions.csv");
    const rows = [
      ...Array.from({ length: 3 }, () => "outbound,603"),
      ...Array.from({ length: 2 }, () => "inbound,603"),
      ...Array.from({ length: 5 }, () => "inbound,200"),
    ];
    writeFileSync(file, `direction,sip_code\n${rows.join("\n")}\n`);
    const out = JSON.parse((await sipcode(["stats", file, "--profile", "jola", "--json"])).stdout);
    expect(out.summary.ner).toBe((5 + 2) / 10);
    expect(
      out.summary.codes
        .filter((c: { code: number }) => c.code === 603)
        .map((c: { direction: string; count: number; userCaused: boolean }) => [
          c.direction,
          c.count,
          c.userCaused,
        ]),
    ).toEqual([
      ["outbound", 3, false],
      ["inbound", 2, true],
    ]);
    const text = await sipcode(["stats", file, "--profile", "jola"]);
    expect(text.stdout).toMatch(/603 out\s+Decline\s+3\s+30\.0%\s+The outbound platform refused/);
    expect(text.stdout).toMatch(/603 in\s+Decline\s+2\s+20\.0%\s+The called party/);
  });

  it("shows the top N groups and says how many more there are", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-fmt-"));
    const file = join(dir, "many.csv");
    const rows = Array.from({ length: 50 }, (_, i) => `t${i},${i % 2 ? 200 : 503}`);
    writeFileSync(file, `trunk,sip_code\n${rows.join("\n")}\n`);
    const r = await sipcode(["stats", file, "--by", "trunk", "--top", "5"]);
    const groupLines = r.stdout.split("By trunk")[1]?.trim().split("\n") ?? [];
    expect(groupLines).toHaveLength(1 + 5 + 1);
    expect(r.stdout).toMatch(/… and 45 more trunk groups \(45 attempts\)/);
  });

  it("replays every format through alerts backtest on the same reader", async () => {
    const r = await sipcode(["alerts", "backtest", sample("freeswitch.csv"), "--json"]);
    expect(r.code).toBe(0);
    // 12 rows, one of them (normal clearing without an answer) no attempt.
    expect(JSON.parse(r.stdout).rows).toBe(11);
  });
});
