import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the core stays runtime-agnostic", () => {
  it("has no node: imports, process, Buffer or require in its sources", () => {
    const offenders = sources(src).filter((file) => {
      const text = readFileSync(file, "utf8");
      return /from\s+["']node:|\bprocess\.|\bBuffer\b|(?<![.\w])require\(/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
