import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import {
  BUILTIN_PROFILE_IDS,
  findGlossaryTerm,
  listCodes,
  listGlossaryTerms,
  splitMessages,
} from "@sipcodes/core";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built binary, as a user would. */
function sipcode(args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

describe("sipcode <input>", () => {
  it("explains a code with the platform's meaning", async () => {
    const r = await sipcode(["603", "--profile", "jola"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^603 MaxPeak Cost Exceeded/);
    expect(r.stdout).toContain("Tell the caller");
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stderr).toBe("");
  });

  it("prints the core's Explanation as JSON, an array for several inputs", async () => {
    const one = JSON.parse((await sipcode(["486", "--json"])).stdout);
    expect(one).toMatchObject({ code: 486, phrase: "Busy Here", outcome: "busy" });
    const many = JSON.parse((await sipcode(["486", "487", "603", "--json"])).stdout);
    expect(many.map((e: { code: number }) => e.code)).toEqual([486, 487, 603]);
  });

  it.each([
    ["404", "--profile", "jola", "-d", "inbound", "--json"],
    ["486", "603", "--audience=end-user"],
    ["500", "-p", "teams", "--format", "markdown"],
    ["stats", fixture("cdr.csv"), "--by", "trunk"],
    ["stats", fixture("cdr.csv"), "-p", "jola", "-n", "3", "--json"],
    ["999"],
  ])("answers %j the same through the fast path and the full parser", async (...args) => {
    const fast = await sipcode(args);
    const full = await sipcode(args, undefined, { SIPCODE_FULL_PARSER: "1" });
    expect(fast).toEqual(full);
  });

  it("gives the fast path's lookups the full parser's meaning", async () => {
    const out = JSON.parse(
      (await sipcode(["404", "--profile", "jola", "-d", "inbound", "--json"])).stdout,
    );
    expect(out.operator.actions.some((a: { text: string }) => /E\.164/.test(a.text))).toBe(true);
  });

  it("splits a piped trace with the core's splitMessages", async () => {
    const trace = readFileSync(fixture("trace.txt"), "utf8");
    const r = await sipcode(["-", "--json"], trace);
    const codes = JSON.parse(r.stdout).map((e: { code: number }) => e.code);
    expect(codes).toEqual(splitMessages(trace).map((m) => Number(m.slice(8, 11))));
  });

  it("explains every response in a piped trace and skips requests", async () => {
    const r = await sipcode(
      ["-", "--json"],
      await import("node:fs").then((fs) => fs.readFileSync(fixture("trace.txt"), "utf8")),
    );
    const out = JSON.parse(r.stdout);
    expect(out.map((e: { code: number }) => e.code)).toEqual([100, 603]);
    expect(out[1].profile).toMatchObject({ id: "jola", selectedBy: "phrase" });
    expect(out[1].q850).toMatchObject({ cause: 21, source: "reason-header" });
  });

  it("reads a Reason header and a status line", async () => {
    expect((await sipcode(['Q.850;cause=17;text="User busy"'])).stdout).toMatch(/^486 Busy Here/);
    expect((await sipcode(["SIP/2.0 480 Temporarily Unavailable"])).stdout).toMatch(/^480/);
  });

  it("loads a profile file that extends a built-in one", async () => {
    const r = await sipcode(["SIP/2.0 480 Account Suspended", "--profile", fixture("acme.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("suspended");
  });

  it("names the bad field of a profile file and exits 2", async () => {
    const r = await sipcode(["603", "--profile", fixture("bad-profile.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-profile\.json: codes\.603\.causes\.0\.direction/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 1 for a code outside 100-699 and 2 for unreadable input, one line on stderr", async () => {
    const out = await sipcode(["1000"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "sipcode: 1000 is not a SIP response code: codes run from 100 to 699\n",
    );
    const bad = await sipcode(["HTTP/1.1 404 Not Found"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/HTTP status line, not SIP/);
    expect(bad.stderr).not.toMatch(/at .*\.cjs/);
  });

  it("keeps going after a bad input among several, and exits with the failure", async () => {
    const r = await sipcode(["486", "0", "603"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("486 Busy Here");
    expect(r.stdout).toContain("603 Decline");
    expect(r.stderr).toMatch(/0 is not a SIP response code/);
  });

  it("exits 2 on an unknown option or profile, and 0 for --help, which documents exit codes", async () => {
    expect((await sipcode(["486", "--bogus"])).code).toBe(2);
    expect((await sipcode(["486", "--profile", "nope"])).code).toBe(2);
    const help = await sipcode(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*70/);
  });

  it("colours only on request when stdout is not a terminal, and honours NO_COLOR", async () => {
    expect((await sipcode(["486"], undefined, { FORCE_COLOR: "1" })).stdout).toContain("\u001b[");
    expect(
      (await sipcode(["486"], undefined, { FORCE_COLOR: "1", NO_COLOR: "1" })).stdout,
    ).not.toContain("\u001b[");
  });

  it("shows only the caller's side for the end-user audience", async () => {
    const e = JSON.parse((await sipcode(["486", "--audience", "end-user", "--json"])).stdout);
    expect(e.operator).toBeUndefined();
    expect(e.endUser.message).toBeTruthy();
  });
});

describe("sipcode list, search, q850, profiles, glossary", () => {
  it("lists a class", async () => {
    const r = await sipcode(["list", "--class", "6xx"]);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => l.slice(0, 3)),
    ).toEqual(["600", "603", "604", "606", "607", "608"]);
    const jola = JSON.parse(
      (await sipcode(["list", "--class", "6", "--profile", "jola", "--json"])).stdout,
    );
    expect(jola.find((r: { code: number }) => r.code === 603).profilePhrase).toBe(
      "MaxPeak Cost Exceeded",
    );
    expect((await sipcode(["list", "--class", "7xx"])).code).toBe(2);
  });

  it("finds codes by words, best match first", async () => {
    const busy = JSON.parse((await sipcode(["search", "busy", "--json"])).stdout);
    expect(
      busy
        .slice(0, 2)
        .map((h: { code: number }) => h.code)
        .sort(),
    ).toEqual([486, 600]);
    const cost = JSON.parse((await sipcode(["search", "cost", "--json"])).stdout);
    expect(cost[0]).toMatchObject({ code: 603, profile: "jola" });
    expect((await sipcode(["search", "xyzzy"])).code).toBe(1);
  });

  it("explains a Q.850 cause and its mapping", async () => {
    const r = await sipcode(["q850", "17", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      cause: 17,
      name: "User busy",
      sip: [{ code: 486 }],
    });
    expect((await sipcode(["q850", "128"])).code).toBe(1);
    expect((await sipcode(["q850", "Q.850;cause=34"])).stdout).toContain("503");
  });

  it("shows where FreeSWITCH's and Asterisk's cause tables differ from RFC 3398, by cause name too", async () => {
    const fs = JSON.parse(
      (await sipcode(["q850", "INCOMPATIBLE_DESTINATION", "--profile", "freeswitch", "--json"]))
        .stdout,
    );
    expect(fs).toMatchObject({ cause: 88, sip: [{ code: 503 }] });
    expect(fs.platform).toMatchObject({ profile: "freeswitch", sip: 488, differs: true });
    const text = (await sipcode(["q850", "NORMAL_TEMPORARY_FAILURE", "-p", "asterisk"])).stdout;
    expect(text).toMatch(/^Asterisk \(chan_pjsip\): 603 \(differs from RFC 3398\)$/m);
    expect(text.replace(/\s+/g, " ")).toContain("RFC 3398 gives 503.");
    // Without a platform profile there is nothing to compare.
    expect(JSON.parse((await sipcode(["q850", "88", "--json"])).stdout).platform).toBeUndefined();
    expect((await sipcode(["q850", "88"])).stdout).not.toMatch(/FreeSWITCH|Asterisk/);
  });

  it("lists profiles and defines glossary terms", async () => {
    const profiles = JSON.parse((await sipcode(["profiles", "--json"])).stdout);
    expect(profiles.map((p: { id: string }) => p.id)).toEqual([
      "rfc",
      "jola",
      "teams",
      "freeswitch",
      "asterisk",
    ]);
    expect((await sipcode(["glossary", "SBC"])).stdout).toMatch(/^SBC/);
    expect((await sipcode(["glossary", "DDI", "--json"])).stdout).toContain('"DID"');
    expect((await sipcode(["glossary", "nothing-like-this"])).code).toBe(1);
  });

  it("lists codes as the core's listCodes view gives them", async () => {
    const rows = JSON.parse(
      (await sipcode(["list", "--class", "4", "--profile", "teams", "--registered", "--json"]))
        .stdout,
    );
    expect(rows).toEqual(listCodes({ profile: "teams", class: "4xx", registered: true }));
  });

  it("defines a term through --profile exactly as the core does, and only adds terms", async () => {
    for (const profile of BUILTIN_PROFILE_IDS) {
      const r = await sipcode(["glossary", "Direct Routing", "--profile", profile, "--json"]);
      expect(r.code, profile).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(findGlossaryTerm("Direct Routing", { profile }));
    }
    expect((await sipcode(["glossary", "Media bypass"])).code).toBe(1);
    const bypass = await sipcode(["glossary", "media bypass", "-p", "teams"]);
    expect(bypass.code).toBe(0);
    expect(bypass.stdout).toMatch(/^Media bypass\n/);
    const all = JSON.parse((await sipcode(["glossary", "-p", "teams", "--json"])).stdout);
    expect(all).toEqual(listGlossaryTerms({ profile: "teams" }));
    expect((await sipcode(["glossary", "SBC", "-p", "nope"])).code).toBe(2);
  });

  it("prints completion scripts", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await sipcode(["completion", shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("stats");
    }
    expect((await sipcode(["completion", "tcsh"])).code).toBe(2);
  });
});

describe("sipcode stats", () => {
  it("summarizes a CSV with quoted fields, counting bad rows with line numbers", async () => {
    const r = await sipcode(["stats", fixture("cdr.csv"), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.columns).toMatchObject({ code: "sip_code", trunk: "trunk", customer: "customer" });
    expect(out.rows).toBe(8);
    expect(out.badRows.count).toBe(2);
    expect(out.badRows.first).toEqual([
      { line: 8, message: '"abc" is not a SIP code (100-699)' },
      { line: 12, message: '"1000" is not a SIP code (100-699)' },
    ]);
    expect(out.summary).toMatchObject({ attempts: 8, answered: 3 });
    expect(out.summary.asr).toBeCloseTo(3 / 8);
  });

  it("groups by trunk and prints a human table", async () => {
    const r = await sipcode(["stats", fixture("cdr.csv"), "--by", "trunk"]);
    expect(r.stdout).toMatch(/ASR 37\.5%/);
    expect(r.stdout).toContain("Top failure codes");
    expect(r.stdout).toMatch(/By trunk[\s\S]*trunk-a/);
    expect(r.stdout).toMatch(
      /a value that could not be read\s+2\s+first at line 8, 12: "abc" is not a SIP code/,
    );
  });

  it("reads NDJSON from stdin", async () => {
    const fs = await import("node:fs");
    const r = await sipcode(
      ["stats", "-", "--json"],
      fs.readFileSync(fixture("cdr.ndjson"), "utf8"),
    );
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe("ndjson");
    expect(out.rows).toBe(3);
    expect(out.badRows.first).toEqual([
      { line: 3, message: "not valid JSON" },
      { line: 5, message: "no SIP code, cause or status" },
    ]);
  });

  it("takes --code-column, and explains a missing one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-"));
    const file = join(dir, "x.csv");
    writeFileSync(file, "when,result\n1,486\n2,200\n");
    expect(
      JSON.parse((await sipcode(["stats", file, "--code-column", "result", "--json"])).stdout).rows,
    ).toBe(2);
    const missing = await sipcode(["stats", file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no column holds the SIP code.*--code-column/);
    expect((await sipcode(["stats", join(dir, "nope.csv")])).stderr).toMatch(/no such file/);
  });
});

describe("sipcode alerts backtest", () => {
  /** Three hours at 60 calls a minute on three trunks; 603 at 1% until a 25% spike from 10:30 to 10:50. */
  function spikeCsv(): string {
    const start = Date.parse("2026-11-26T08:00:00Z");
    const lines = ["time,trunk,direction,sip_code"];
    for (let m = 0; m < 180; m++) {
      for (let k = 0; k < 60; k++) {
        const i = m * 60 + k;
        const spike = m >= 150 && m < 170;
        const code = spike
          ? k % 4 === 0
            ? 603
            : 200
          : i % 100 === 0
            ? 603
            : i % 7 === 0
              ? 486
              : 200;
        lines.push(
          `${new Date(start + m * 60_000 + k * 1000).toISOString()},trunk-${k % 3},outbound,${code}`,
        );
      }
    }
    return `${lines.join("\n")}\n`;
  }

  it("replays a spike: fires at the first evaluation that sees it and resolves after recovery", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    const r = await sipcode(["alerts", "backtest", file, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(10_800);
    const global = out.transitions.filter(
      (t: { rule: string; scope: { key: string } }) =>
        t.rule === "sip-603" && t.scope.key === "global",
    );
    expect(
      global.map((t: { to: string; time: number }) => [t.to, new Date(t.time).toISOString()]),
    ).toEqual([
      // One minute at 25 % is conclusive for the sequential test: pending and firing at once.
      ["pending", "2026-11-26T10:31:00.000Z"],
      ["firing", "2026-11-26T10:31:00.000Z"],
      ["resolved", "2026-11-26T10:59:00.000Z"],
    ]);
    expect(new Set(global.map((t: { incidentId: string }) => t.incidentId)).size).toBe(1);
    expect(out.transitions.some((t: { rule: string }) => t.rule === "sip-500")).toBe(false);
    const human = await sipcode(["alerts", "backtest", file]);
    expect(human.stdout).toMatch(/10:31:00Z\s+sip-603\s+global\s+pending→firing/);
  });

  it("uses the rules of a config file, and names a bad field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    const strict = join(dir, "alerter.yaml");
    writeFileSync(strict, "detector:\n  rules:\n    - id: only-500\n      codes: [500]\n");
    const none = JSON.parse(
      (await sipcode(["alerts", "backtest", file, "--config", strict, "--json"])).stdout,
    );
    expect(none.rules).toEqual(["only-500"]);
    expect(none.transitions).toEqual([]);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "detector:\n  rules:\n    - id: x\n      codes: [603]\n      lift: -1\n");
    const r = await sipcode(["alerts", "backtest", file, "--config", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: .*lift/);
  });

  it("takes detector settings at the top level of a config file, checked in full", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    const top = join(dir, "detector.json");
    writeFileSync(top, JSON.stringify({ rules: [{ id: "only-500", codes: [500] }] }));
    expect(
      JSON.parse((await sipcode(["alerts", "backtest", file, "--config", top, "--json"])).stdout)
        .rules,
    ).toEqual(["only-500"]);
    // Before, settings outside `rules` were dropped and the run used the defaults.
    const short = join(dir, "short.json");
    writeFileSync(short, JSON.stringify({ baselineMinutes: 17 }));
    const r = await sipcode(["alerts", "backtest", file, "--config", short]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(`sipcode: ${short}: baselineMinutes: must be in [60, 10080] (got 17)\n`);
  });

  it("refuses an unknown top-level key of a config file, naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    for (const [name, text] of [
      ["typo.yaml", "detecter:\n  rules: []\n"],
      ["mixed.yaml", "detector: {}\ndetecter:\n  rules: []\n"],
    ] as const) {
      const config = join(dir, name);
      writeFileSync(config, text);
      const r = await sipcode(["alerts", "backtest", file, "--config", config]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`${config}: detecter: is not a known option`);
    }
  });

  it("evaluates on the alerter's interval grid, any whole number of seconds 1-3600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    const at = async (interval: string) => {
      const r = await sipcode(["alerts", "backtest", file, "--interval", interval, "--json"]);
      const out = JSON.parse(r.stdout);
      const global = out.transitions.filter(
        (t: { rule: string; scope: { key: string } }) =>
          t.rule === "sip-603" && t.scope.key === "global",
      );
      return [out.evaluations, global.map((t: { time: number }) => new Date(t.time).toISOString())];
    };
    // 3 h of events from 08:00:00: the first evaluation is the first multiple of the interval after it.
    expect(await at("30")).toEqual([
      360,
      ["2026-11-26T10:31:00.000Z", "2026-11-26T10:31:00.000Z", "2026-11-26T10:59:00.000Z"],
    ]);
    expect(await at("300")).toEqual([
      36,
      // Five clear evaluations 5 minutes apart outlast the file: no resolve yet.
      ["2026-11-26T10:35:00.000Z", "2026-11-26T10:35:00.000Z"],
    ]);
    for (const bad of ["0", "3601", "1.5", "x"]) {
      const r = await sipcode(["alerts", "backtest", file, "--interval", bad]);
      expect([r.code, r.stderr]).toEqual([
        2,
        `sipcode: --interval must be a whole number of seconds from 1 to 3600, got "${bad}"\n`,
      ]);
    }
  });

  it("replays on the alerter config's evaluation.intervalSeconds unless --interval says otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "spike.csv");
    writeFileSync(file, spikeCsv());
    const config = join(dir, "alerter.yaml");
    writeFileSync(config, "evaluation:\n  intervalSeconds: 300\ndetector: {}\n");
    const evaluations = async (...extra: string[]) =>
      JSON.parse(
        (await sipcode(["alerts", "backtest", file, "--config", config, "--json", ...extra]))
          .stdout,
      ).evaluations;
    expect(await evaluations()).toBe(36);
    expect(await evaluations("--interval", "30")).toBe(360);
    writeFileSync(config, "evaluation:\n  intervalSeconds: 0\n");
    const r = await sipcode(["alerts", "backtest", file, "--config", config]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `sipcode: ${config}: evaluation.intervalSeconds must be a whole number of seconds from 1 to 3600, got "0"\n`,
    ]);
  });

  it("replays the same on a reader thread as on one thread, whatever the file holds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-threads-"));
    // Two batches (10,801 rows, 8,192 a batch): one row with no readable time, one with no code.
    const spike = join(dir, "spike.csv");
    const text = spikeCsv().replace(",trunk-1,outbound,200\n", ",trunk-1,outbound,abc\n");
    writeFileSync(spike, `${text}not a time,trunk-0,outbound,200\n`);
    const gz = join(dir, "spike.csv.gz");
    writeFileSync(gz, gzipSync(readFileSync(spike)));
    const files = [
      spike,
      gz,
      fixture("cdr.ndjson"),
      fixture("formats/kamailio-acc.tsv"),
      fixture("formats/freeswitch.csv"),
      fixture("formats/teams.ndjson"),
    ];
    for (const file of files) {
      const one = await sipcode(["alerts", "backtest", file, "--json", "--threads", "1"]);
      const two = await sipcode(["alerts", "backtest", file, "--json", "--threads", "2"]);
      expect(one.code, file).toBe(0);
      const { threads, ...rest } = JSON.parse(two.stdout);
      expect(threads, file).toBe(2);
      expect(JSON.parse(one.stdout).threads, file).toBeUndefined();
      expect(rest, file).toEqual(JSON.parse(one.stdout));
      expect(two.stderr, file).toBe(one.stderr);
    }
    const out = JSON.parse(
      (await sipcode(["alerts", "backtest", spike, "--json", "--threads", "2"])).stdout,
    );
    expect(out.rows).toBe(10_800);
    expect(out.badRows.count).toBe(2);
    // Bad input read on the reader thread: the same one line and exit code.
    const zstd = join(dir, "x.csv.zst");
    writeFileSync(zstd, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    const one = await sipcode(["alerts", "backtest", zstd, "--threads", "1"]);
    const two = await sipcode(["alerts", "backtest", zstd, "--threads", "2"]);
    expect(one.code).not.toBe(0);
    expect([two.code, two.stderr]).toEqual([one.code, one.stderr]);
    expect(one.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("writes all of a long answer once into a pipe read slowly, with the reader thread's non-blocking stdout", async () => {
    // Twelve hours at 60 calls a minute with a 603 spike every hour: hundreds of transitions,
    // far more JSON than a pipe holds, written while nobody reads the pipe.
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-pipe-"));
    const file = join(dir, "spikes.csv");
    const start = Date.parse("2026-11-26T00:00:00Z");
    const lines = ["time,trunk,direction,sip_code"];
    for (let m = 0; m < 720; m++)
      for (let k = 0; k < 60; k++) {
        const spike = m >= 180 && m % 60 < 20;
        const code = spike ? (k % 4 === 0 ? 603 : 200) : (m * 60 + k) % 100 === 0 ? 603 : 200;
        const t = new Date(start + m * 60_000 + k * 1000).toISOString();
        lines.push(`${t},trunk-${k % 3},outbound,${code}`);
      }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const child = spawn(
      process.execPath,
      [bin, "alerts", "backtest", file, "--json", "--threads", "2"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.length).toBeGreaterThan(256 * 1024);
    const out = JSON.parse(text);
    expect(out.threads).toBe(2);
    expect(out.transitions.length).toBeGreaterThan(100);
  });

  it("asks for --time-column when no column holds a time", async () => {
    const r = await sipcode(["alerts", "backtest", fixture("cdr.ndjson")]);
    expect(r.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "sipcode-bt-"));
    const file = join(dir, "x.csv");
    writeFileSync(file, "when,sip_code\n1,486\n");
    const missing = await sipcode(["alerts", "backtest", file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--time-column/);
    expect(
      JSON.parse(
        (await sipcode(["alerts", "backtest", file, "--time-column", "when", "--json"])).stdout,
      ).rows,
    ).toBe(1);
  });
});

describe("the code cache", () => {
  it("keeps one cache per bundle: a rebuild's cache replaces the old one's", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "sipcode-cache-"));
    const dir = join(tmp, `sipcode-v8-${process.getuid?.() ?? "u"}`);
    const first = await sipcode(["486"], undefined, { TMPDIR: tmp });
    expect(first.code).toBe(0);
    const main = () => readdirSync(dir).filter((f) => f.includes("-main_cjs-"));
    expect(main()).toHaveLength(1);
    // What an earlier build of main.cjs left behind, and another bundle's cache.
    const old = `${process.version}-${process.arch}-main_cjs-1-1.bin`;
    const other = `${process.version}-${process.arch}-stats_cjs-1-1.bin`;
    writeFileSync(join(dir, old), "stale");
    writeFileSync(join(dir, other), "stale");
    // A cache V8 rejects is written again, and the stale one of the same bundle goes.
    const current = main().find((f) => f !== old) ?? "";
    writeFileSync(join(dir, current), "not a code cache");
    const second = await sipcode(["486"], undefined, { TMPDIR: tmp });
    expect(second.stdout).toBe(first.stdout);
    expect(main()).toEqual([current]);
    expect(readFileSync(join(dir, current), "utf8")).not.toBe("not a code cache");
    expect(readdirSync(dir)).toContain(other);
  });
});

describe("the lookup bundle", () => {
  it("does not contain zod, which only the lazily loaded schemas bundle holds", () => {
    const dist = (name: string) =>
      readFileSync(new URL(`../dist/${name}`, import.meta.url), "utf8");
    expect(dist("schemas.cjs")).toContain("ZodError");
    expect(dist("main.cjs")).not.toContain("ZodError");
    expect(dist("config.cjs")).toContain("ZodError");
  });

  it("carries no catalogue text: the data files beside it are read when a lookup needs them", () => {
    const dist = (name: string) =>
      readFileSync(new URL(`../dist/${name}`, import.meta.url), "utf8");
    expect(dist("main.cjs")).not.toContain("per-minute cost");
    expect(dist("main.cjs")).not.toContain("Answer-seizure ratio");
    expect(dist("main.cjs")).not.toContain("Busy Everywhere");
    expect(dist("data/jola.jolaProfile.json")).toContain("MaxPeak");
  });

  it("leaves commander and the capture readers to the bundles the other commands load", () => {
    const dist = (name: string) =>
      readFileSync(new URL(`../dist/${name}`, import.meta.url), "utf8");
    // Commander's own message, and the capture formats' names.
    expect(dist("program.cjs")).toContain("unknown option");
    expect(dist("main.cjs")).not.toContain("unknown option");
    expect(dist("program.cjs")).toContain("pcapng");
    expect(dist("main.cjs")).not.toContain("pcapng");
  });

  it("ends quietly when stdout is a closed pipe", async () => {
    const r = await new Promise<Run>((resolve) => {
      const child = execFile(
        "sh",
        ["-c", `"${process.execPath}" "${bin}" list | head -n 1`],
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe("");
  });
});

describe("the published package", () => {
  it("installs from its tarball with no dependencies and runs as `sipcode`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-pack-"));
    const cwd = fileURLToPath(new URL("..", import.meta.url));
    const npm = (args: string[], where: string) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          "npm",
          args,
          {
            cwd: where,
            env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" },
          },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
    const tarball =
      (await npm(["pack", "--silent", "--pack-destination", dir], cwd)).trim().split("\n").pop() ??
      "";
    await npm(["install", "--offline", "--prefix", join(dir, "app"), join(dir, tarball)], dir);
    const r = await new Promise<Run>((resolve) =>
      execFile(
        join(dir, "app/node_modules/.bin/sipcode"),
        ["603", "--profile", "jola", "--json"],
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).profilePhrase).toBe("MaxPeak Cost Exceeded");
  }, 60_000);
});
