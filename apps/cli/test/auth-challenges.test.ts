import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type AuthRun, PASSWORD, placeAuthCalls } from "./_kamailio-auth.ts";
import { peersOrSkip } from "./_kamailio-calls.ts";

/*
 * Calls through a real Kamailio that challenges every INVITE without
 * credentials, and `sipcode stats` / `alerts backtest` over the acc lines it
 * logged. The figures must be those of the calls the client placed: one
 * attempt per call, ending as its last INVITE ended, whatever number of
 * challenges came before.
 */

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const run = peersOrSkip(["kamailio"]);

function sipcode(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

const WRONG = "not-the-password";

describe.skipIf(!run)("digest challenges logged by a real Kamailio's acc module", () => {
  let calls: AuthRun;
  let file = "";
  beforeAll(async () => {
    calls = await placeAuthCalls([
      { callee: "+13105550200", passwords: [PASSWORD], hold: 1 },
      { callee: "+13105550201", passwords: [PASSWORD], hold: 2 },
      { callee: "+13105550486", passwords: [PASSWORD] },
      { callee: "9+13105550603", passwords: [PASSWORD] }, // 401 (WWW-Authenticate)
      { callee: "+13105550202", passwords: [] }, // a scanner: never answers the 407
      { callee: "9+13105550203", passwords: [] }, // nor this 401
      { callee: "+13105550204", passwords: [WRONG, PASSWORD], hold: 1 }, // 407, 407, 200
      { callee: "+13105550205", passwords: [WRONG] }, // 407, 407, gives up
    ]);
    file = join(calls.dir, "kamailio.log");
    writeFileSync(file, calls.log);
  }, 60_000);

  /** The truth of the calls placed: each call's last final response. */
  const truth = () => {
    const last = calls.calls.map((c) => c.finals[c.finals.length - 1] as number);
    const answered = last.filter((c) => c < 300).length;
    const effective = last.filter((c) => c < 300 || [486, 600, 480, 487, 603, 607].includes(c));
    const challenges = calls.calls.reduce((n, c) => n + c.finals.length - 1, 0);
    return {
      attempts: last.length,
      answered,
      ner: effective.length / last.length,
      challenges,
      last,
    };
  };

  it("placed the calls the plan says, each challenged at least once", () => {
    expect(calls.calls.map((c) => c.finals)).toEqual([
      [407, 200],
      [407, 200],
      [407, 486],
      [401, 603],
      [407],
      [401],
      [407, 407, 200],
      [407, 407],
    ]);
  });

  it("counts each call once, as its last INVITE ended: the ASR and NER of the calls placed", async () => {
    const t = truth();
    const r = await sipcode(["stats", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files[0].format).toBe("acc-log");
    expect(out.files[0].detected.format).toBe("kamailio-acc");
    expect(out.rows).toBe(t.attempts);
    expect(out.summary.attempts).toBe(8);
    expect(out.summary.answered).toBe(t.answered);
    expect(out.summary.asr).toBeCloseTo(t.answered / t.attempts, 10);
    expect(out.summary.ner).toBeCloseTo(t.ner, 10);
    const counted = Object.fromEntries(
      out.summary.codes.map((c: { code: number; count: number }) => [c.code, c.count]),
    );
    const expected: Record<number, number> = {};
    for (const code of t.last) expected[code] = (expected[code] ?? 0) + 1;
    expect(counted).toEqual(expected);
    // Every challenge that was answered with a retry is skipped, under its own reason...
    const retried = out.skipped["auth-retried"];
    expect(retried.count).toBe(t.challenges);
    // ...and the lines it names are acc lines of a challenged INVITE in Kamailio's own log.
    const lines = readFileSync(file, "utf8").split("\n");
    for (const n of retried.lines) {
      expect(lines[n - 1]).toMatch(/ACC: transaction answered: .*method=INVITE;.*code=40[17];/);
    }
    // Kamailio's default flags log each failed INVITE twice: "call missed" and the acc line.
    const failedTransactions = calls.calls.reduce(
      (n, c) => n + c.finals.filter((f) => f >= 300).length,
      0,
    );
    expect(out.skipped["acc-missed"].count).toBe(failedTransactions);
    expect(out.files[0].challenges).toMatchObject({
      retried: t.challenges,
      unretried: 3,
      evicted: 0,
    });
    // The answered calls are timed from their INVITE line to their BYE line (whole seconds).
    expect(out.files[0].pairing).toMatchObject({ paired: 3, unpairedAnswers: 0 });
  });

  it("prints the skipped challenges in the counted table", async () => {
    const r = await sipcode(["stats", file]);
    expect(r.code, r.stderr).toBe(0);
    const { challenges } = truth();
    expect(challenges).toBe(7);
    expect(r.stdout).toMatch(
      new RegExp(`auth challenge, retried\\s+${challenges}\\s+first at line \\d+`),
    );
    expect(r.stdout).toContain(`auth challenges (401/407): ${challenges} retried in the same call`);
    expect(r.stdout).toContain("ASR 37.5%");
  });

  it("replays the same attempts through alerts backtest", async () => {
    const r = await sipcode(["alerts", "backtest", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(truth().attempts);
    expect(out.skipped["auth-retried"].count).toBe(truth().challenges);
  });
});
