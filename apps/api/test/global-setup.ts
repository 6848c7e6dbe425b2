import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds dist/node.mjs from the current source, so the Node tests never run a stale bundle. */
export default function setup() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
}
