import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sipcode(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
    child.stdin?.end();
  });
}

const json = async (args: string[], env: Record<string, string> = {}) => {
  const r = await sipcode([...args, "--json"], env);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
};

const both = (env: Record<string, string> = {}) => [env, { ...env, SIPCODE_FULL_PARSER: "1" }];

describe("profile ids and directions as people type them", () => {
  it.each(both())("takes --profile JOLA and --direction out/in (%j)", async (env) => {
    expect((await json(["603", "--profile", "JOLA", "--direction", "out"], env)).profile.id).toBe(
      "jola",
    );
    const inbound = await json(["603", "-p", "Jola", "-d", "IN"], env);
    expect(inbound.direction).toBe("inbound");
    expect(inbound.profile.notApplied).toEqual([{ profile: "jola", reason: "direction" }]);
  });

  it("refuses a direction it does not know, with exit 2", async () => {
    const r = await sipcode(["486", "--direction", "sideways"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inbound, outbound, in or out/);
  });
});

describe("the phrase and direction rules in the CLI's faces", () => {
  it("says what was received and that jola's 603 applies to its own phrase only", async () => {
    const r = await sipcode(["SIP/2.0 603 Network Blocked", "--profile", "jola"]);
    expect(r.stdout).toMatch(/^603 Network Blocked/);
    expect(r.stdout).toContain("standard phrase: Decline");
    expect(r.stdout).toMatch(/only to its own\s+phrase/);
    expect(r.stdout).not.toMatch(/per-minute cost|rate card/i);
  });

  it("gives the standard 603 for an inbound call under jola, with the note", async () => {
    const r = await sipcode(["603", "--profile", "jola", "--direction", "inbound"]);
    expect(r.stdout).toMatch(/^603 Decline/);
    expect(r.stdout).toMatch(/outbound calls only/);
    expect(r.stdout).toContain("What to do");
    expect(r.stdout).not.toMatch(/\[outbound\]/);
  });

  it("lists no outbound-only cause on an inbound view", async () => {
    const r = await sipcode(["404", "--profile", "jola", "--direction", "inbound"]);
    expect(r.stdout).toContain("What to do");
    expect(r.stdout).not.toMatch(/\[outbound\]/);
  });

  it("flags a Teams sub-code sent with a SIP code it does not belong to", async () => {
    const r = await sipcode(["486", "--profile", "teams", "--sub-code", "560403"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Sub-code 560403 does not go with 486/);
    const e = await json(["486", "-p", "teams", "-s", "560403"]);
    expect(e.subCode.mismatch.documentedWith).toEqual([403]);
  });

  it("reads an unlisted Teams 569xxx sub-code as Microsoft failing to reach the SBC", async () => {
    const e = await json(["504", "-p", "teams", "-s", "569099"]);
    expect(e.subCode).toMatchObject({ generatedBy: "platform", inferred: true });
    expect(e.subCode.meaning).toMatch(/DNS.*TCP.*TLS/);
  });

  it("says Q.850 44 has no SIP code", async () => {
    const r = await sipcode(["q850", "44"]);
    expect(r.stdout).toMatch(/none: RFC 3398 calls this cause untranslatable/);
    expect(r.stdout).not.toMatch(/: 500/);
  });
});

describe("defaults from SIPCODE_PROFILE and the config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "sipcode-config-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each(both())("uses SIPCODE_PROFILE when --profile is not given (%j)", async (env) => {
    expect((await json(["603"], { ...env, SIPCODE_PROFILE: "jola" })).profile.id).toBe("jola");
    expect((await json(["603", "-p", "rfc"], { ...env, SIPCODE_PROFILE: "jola" })).profile.id).toBe(
      "rfc",
    );
  });

  it.each(both())("reads profile and direction from SIPCODES_CONFIG (%j)", async (env) => {
    const config = file("ok.json", JSON.stringify({ profile: "teams", direction: "out" }));
    const e = await json(["403"], { ...env, SIPCODES_CONFIG: config });
    expect(e.profile.id).toBe("teams");
    expect(e.direction).toBe("outbound");
    // The environment wins over the file, and a flag over both.
    const jola = await json(["603"], { ...env, SIPCODES_CONFIG: config, SIPCODE_PROFILE: "jola" });
    expect(jola.profile.id).toBe("jola");
  });

  it("reads ~/.config/sipcodes/config.json when it exists", async () => {
    const home = mkdtempSync(join(tmpdir(), "sipcode-home-"));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(home, ".config", "sipcodes"), { recursive: true });
    writeFileSync(join(home, ".config", "sipcodes", "config.json"), '{"profile":"jola"}');
    expect((await json(["603"], { HOME: home })).profile.id).toBe("jola");
    expect((await json(["603"], { HOME: dir })).profile.id).toBe("rfc");
  });

  it.each([
    ["unknown key", '{"profil":"jola"}', /config .*bad-0\.json: Unrecognized key: "profil"/],
    ["bad direction", '{"direction":"up"}', /direction: inbound, outbound, in or out/],
    ["not JSON", "{profile: jola", /not valid JSON/],
  ])("refuses a config file with %s in one line, exit 2", async (_, text, message) => {
    const config = file("bad-0.json", text);
    const r = await sipcode(["486"], { SIPCODES_CONFIG: config });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it("refuses a SIPCODES_CONFIG that does not exist", async () => {
    const r = await sipcode(["486"], { SIPCODES_CONFIG: join(dir, "missing.json") });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read config .*no such file/);
  });
});

describe("width from COLUMNS", () => {
  // Stats prints a few prose lines above its tables; the tables are what must fit.
  const widest = (text: string, args: string[]) =>
    Math.max(
      ...text
        .split("\n")
        .filter((l) => args[0] !== "stats" || /^ {2}\S+ {2,}\S/.test(l))
        .map((l) => l.length),
    );

  it.each([
    [["list"]],
    [["search", "busy"]],
    [["glossary"]],
    [["486"]],
    [["stats", fileURLToPath(new URL("./fixtures/cdr.csv", import.meta.url)), "--by", "trunk"]],
  ])("keeps %j within COLUMNS=60", async (args) => {
    const narrow = await sipcode(args, { COLUMNS: "60" });
    expect(narrow.code).toBe(0);
    expect(widest(narrow.stdout, args)).toBeLessThanOrEqual(60);
    const wide = await sipcode(args, { COLUMNS: "200" });
    expect(widest(wide.stdout, args)).toBeGreaterThan(60);
  });
});

describe("sipcode glossary with several terms", () => {
  it("defines each term, and multi-word terms typed without quotes", async () => {
    const r = await sipcode(["glossary", "ASR", "NER", "Reason", "header"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ASR/m);
    expect(r.stdout).toMatch(/^NER/m);
    expect(r.stdout).toMatch(/^Reason header/m);
    const list = await json(["glossary", "ALG", "PAI"]);
    expect(list.map((e: { term: string }) => e.term)).toEqual(["ALG", "PAI"]);
  });

  it("prints the terms it knows and one line for the rest, exit 1", async () => {
    const r = await sipcode(["glossary", "ASR", "zzz"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ASR/);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/no glossary term "zzz"/)]);
  });
});
