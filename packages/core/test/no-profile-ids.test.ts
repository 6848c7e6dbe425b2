import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILE_IDS } from "../src/index.ts";

const src = fileURLToPath(new URL("../src", import.meta.url));
const profiles = join(src, "profiles");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("core code names no profile", () => {
  it("keeps every built-in profile id as a string inside src/profiles/ only", () => {
    expect(BUILTIN_PROFILE_IDS).toEqual(["rfc", "jola", "teams", "freeswitch", "asterisk"]);
    const quoted = new RegExp(`["'\`](?:${BUILTIN_PROFILE_IDS.join("|")})["'\`]`);
    const offenders = sources(src)
      .filter((file) => !file.startsWith(profiles))
      .filter((file) => quoted.test(readFileSync(file, "utf8")))
      .map((file) => relative(src, file));
    expect(offenders).toEqual([]);
  });

  it("would catch a platform rule written as code", () => {
    const quoted = new RegExp(`["'\`](?:${BUILTIN_PROFILE_IDS.join("|")})["'\`]`);
    expect(quoted.test('if (chain.some((p) => p.id === "teams")) {')).toBe(true);
    expect(quoted.test("const source = 'rfc3398';")).toBe(false);
  });
});
