// What the API's benchmarks share: starting a built server and waiting for
// its "listening on" line, stopping it, autocannon as a promise, and the
// report's number formatting and Markdown tables.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** Starts `node <args>` in apps/api; resolves with the child and its base URL once it listens. */
export function start(args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        // From here on the access log is only drained, not kept.
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve({ child, base: match[1] });
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`)));
  });
}

export function stop({ child }) {
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

export function cannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** A right-aligned Markdown table, padded the way Biome formats Markdown. */
export function table(head, rows) {
  const cells = [head, ...rows].map((row) => row.map(String));
  const widths = head.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padStart(widths[i])).join(" | ")} |`;
  const rule = `| ${widths.map((w) => `${"-".repeat(w - 1)}:`).join(" | ")} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)];
}
