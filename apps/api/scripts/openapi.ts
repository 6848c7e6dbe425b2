// pnpm --filter @sipcodes/api openapi
//
// Writes the API's OpenAPI document, as served with SIPCODES_PUBLIC_URL set to
// the local dev server, to packages/client/openapi.json: the input of the typed
// client (`pnpm --filter @sipcodes/client generate` turns it into src/schema.ts).
// test/contract.ts fails when the checked-in copy differs from what the API serves.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/app.ts";

export const CLIENT_SERVER = "http://localhost:8787";

export async function servedDocument(): Promise<string> {
  const res = await createApp({ publicUrl: CLIENT_SERVER }).request("/openapi.json");
  return `${JSON.stringify(await res.json(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL("../../../packages/client/openapi.json", import.meta.url));
  writeFileSync(target, await servedDocument());
  // Formatted by the repository's Biome config, as every checked-in JSON file is.
  const biome = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));
  execFileSync(biome, ["format", "--write", target], { stdio: "inherit" });
  console.log(`wrote ${target}`);
}
