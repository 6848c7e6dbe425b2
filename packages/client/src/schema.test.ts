import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => join(root, "node_modules/.bin", name);
const biome = join(root, "../../node_modules/.bin/biome");

describe("src/schema.ts", () => {
  it("is what openapi-typescript makes of openapi.json today (run `pnpm generate` if not)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcodes-client-"));
    const out = join(dir, "schema.ts");
    execFileSync(bin("openapi-typescript"), ["openapi.json", "--output", out], {
      cwd: root,
      stdio: "pipe",
    });
    // Formatted as the checked-in file is, by the repository's Biome config.
    const formatted = execFileSync(
      biome,
      ["format", `--stdin-file-path=${join(root, "src/schema.ts")}`],
      { cwd: root, input: readFileSync(out), stdio: ["pipe", "pipe", "pipe"] },
    ).toString();
    writeFileSync(out, formatted);
    expect(formatted).toBe(readFileSync(join(root, "src/schema.ts"), "utf8"));
  });
});
