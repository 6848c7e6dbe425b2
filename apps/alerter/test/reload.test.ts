import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const TOKEN_A = "token-a-0123456789abcdef";
const TOKEN_B = "token-b-0123456789abcdef";

describe("config reload on SIGHUP", () => {
  it("keeps the running config when the new file is invalid, and takes a valid one", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const file = join(tmp.dir, "alerter.yaml");
    writeFileSync(file, `ingest:\n  tokens: [${TOKEN_A}]\n`);
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        SIPCODES_DATA_DIR: join(tmp.dir, "data"),
        SIPCODES_ALERTER_CONFIG: file,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    });
    const logs: { msg?: string; reason?: string }[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    });
    const seen = (msg: string, n = 1) => logs.filter((l) => l.msg === msg).length >= n;
    await waitFor(() => seen("alerter listening"), "the alerter to start");
    const post = async (token: string) =>
      (
        await fetch(`http://127.0.0.1:${port}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ id: `e-${Math.random()}`, time: Date.now(), code: 200 }),
        })
      ).status;
    expect(await post(TOKEN_A)).toBe(200);

    writeFileSync(
      file,
      `ingest:\n  tokens: [${TOKEN_B}]\ndetector:\n  rules: [{ id: r, codes: [603], lift: 0.5 }]\n`,
    );
    child.kill("SIGHUP");
    await waitFor(() => seen("config reload refused: keeping the running config"), "the refusal");
    const refusal = logs.find((l) => l.msg?.startsWith("config reload refused"));
    expect(refusal?.reason).toMatch(/detector\.rules\[0\]\.lift/);
    expect(await post(TOKEN_A)).toBe(200);
    expect(await post(TOKEN_B)).toBe(401);

    writeFileSync(file, `ingest:\n  tokens: [${TOKEN_B}]\n`);
    child.kill("SIGHUP");
    await waitFor(() => seen("config reloaded"), "the reload");
    await waitFor(() => seen("alerter listening", 2), "the alerter to listen again");
    expect(await post(TOKEN_B)).toBe(200);
    expect(await post(TOKEN_A)).toBe(401);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
