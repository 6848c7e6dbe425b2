import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_PROFILE_IDS, GROUP_BY } from "@sipcodes/core";
import { beforeAll, describe, expect, it } from "vitest";
import { FORMAT_CHOICES } from "../src/cdr/formats.ts";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
let dir: string;

beforeAll(() => {
  // A directory with a file in it, so that file completion shows when it is offered.
  dir = mkdtempSync(join(tmpdir(), "sipcode-complete-"));
  writeFileSync(
    join(dir, "script.bash"),
    execFileSync(process.execPath, [bin, "completion", "bash"]),
  );
  writeFileSync(join(dir, "calls.csv"), "sip_code\n486\n");
});

/** Runs the generated bash completion function for a command line; `words` ends with the word being completed. */
function complete(...words: string[]): string[] {
  const line = ["sipcode", ...words];
  const script = [
    "source ./script.bash",
    `COMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${line.length - 1}`,
    "_sipcode",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", script], {
    cwd: dir,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("bash completion (the real function, run by bash)", () => {
  it("completes commands at the first word, and no files", () => {
    const got = complete("");
    expect(got).toEqual(expect.arrayContaining(["explain", "list", "stats", "glossary", "alerts"]));
    expect(got).not.toContain("calls.csv");
    expect(complete("gl")).toEqual(["glossary"]);
  });

  it("completes a command's options, and the lookup's options after a code", () => {
    expect(complete("list", "--c")).toEqual(["--class"]);
    expect(complete("486", "--di")).toEqual(["--direction"]);
    expect(complete("--ver")).toEqual(["--version"]);
  });

  it("completes option values: profiles, directions, classes, formats", () => {
    expect(complete("486", "--profile", "")).toEqual(
      expect.arrayContaining([...BUILTIN_PROFILE_IDS, "calls.csv"]),
    );
    expect(complete("486", "-d", "")).toEqual(["in", "inbound", "out", "outbound"]);
    expect(complete("list", "--class", "")).toEqual(["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"]);
    expect(complete("stats", "calls.csv", "--format", "")).toEqual([...FORMAT_CHOICES].sort());
    expect(complete("486", "--format", "")).toEqual(["markdown", "md", "text"]);
    expect(complete("stats", "calls.csv", "--by", "")).toEqual([...GROUP_BY].sort());
  });

  it("offers files only where a file is expected", () => {
    expect(complete("stats", "")).toContain("calls.csv");
    expect(complete("alerts", "backtest", "")).toContain("calls.csv");
    expect(complete("alerts", "backtest", "x.csv", "--config", "")).toContain("calls.csv");
    for (const words of [
      ["alerts", ""],
      ["completion", ""],
      ["glossary", ""],
      ["list", "--class", ""],
      ["stats", "x.csv", "--format", ""],
      ["486", ""],
      ["search", ""],
    ]) {
      expect(complete(...words), words.join(" ")).not.toContain("calls.csv");
    }
  });

  it("completes subcommands, shells and glossary terms as positionals", () => {
    expect(complete("alerts", "")).toEqual(["backtest"]);
    expect(complete("completion", "")).toEqual(["bash", "fish", "zsh"]);
    expect(complete("glossary", "NE")).toEqual(["NER"]);
  });
});
