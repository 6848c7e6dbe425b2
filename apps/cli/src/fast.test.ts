import { BUILTIN_PROFILE_IDS, DEFAULT_PROFILE } from "@sipcodes/core";
import { describe, expect, it } from "vitest";
import { parseFastPath } from "./fast.ts";

describe("parseFastPath", () => {
  it("takes plain lookups and stats runs", () => {
    expect(parseFastPath(["486", "603", "-p", "jola", "--json"])).toEqual({
      command: "explain",
      inputs: ["486", "603"],
      flags: { audience: "operator", format: "text", profile: "jola", json: true },
    });
    expect(parseFastPath(["stats", "x.csv", "--by=trunk", "--code-column", "sip"])).toEqual({
      command: "stats",
      file: "x.csv",
      flags: { profile: "rfc", top: "20", by: "trunk", codeColumn: "sip" },
    });
  });

  it("takes the core's built-in profile ids and defaults to its default profile", () => {
    for (const id of BUILTIN_PROFILE_IDS) {
      expect(parseFastPath(["486", "--profile", id])?.flags).toMatchObject({ profile: id });
    }
    expect(parseFastPath(["486"])?.flags).toMatchObject({ profile: DEFAULT_PROFILE });
    expect(parseFastPath(["486", "--profile", "acme"])).toBeUndefined();
  });

  it("leaves everything else to the full parser", () => {
    for (const argv of [
      [],
      ["--help"],
      ["486", "--bogus"],
      ["486", "--profile", "./acme.yaml"],
      ["486", "--direction", "sideways"],
      ["SIP/2.0 486 Busy Here"],
      ["list"],
      ["stats"],
      ["stats", "a.csv", "b.csv"],
      ["stats", "a.csv", "--by"],
      ["486", "-p"],
    ]) {
      expect(parseFastPath(argv), JSON.stringify(argv)).toBeUndefined();
    }
  });
});
