import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { cls, ensureBuilt, metric, OPEN, send, startBuilt, tx } from "./_built-alerter.ts";
import { sip } from "./_hep.ts";
import { tempDir, waitFor } from "./helpers.ts";

// The built alerter (dist/main.mjs + dist/hep-worker.mjs), restarted for real between INVITE and final.
beforeAll(ensureBuilt, 120_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TIMEOUT_SECONDS = 8;
const start = (dataDir: string, configFile: string) => startBuilt(dataDir, configFile, cleanups);

describe("HEP open transactions across a restart", () => {
  it("pairs a final sent after a restart with its INVITE from before, and times out the other on the INVITE's clock", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = join(tmp.dir, "alerter.yaml");
    writeFileSync(
      configFile,
      stringify({
        hep: {
          enabled: true,
          host: "127.0.0.1",
          udpPort: 0,
          tcpPort: null,
          allowFrom: ["127.0.0.1"],
          timeoutSeconds: TIMEOUT_SECONDS,
          saveOpenSeconds: 0,
        },
      }),
    );
    const dataDir = join(tmp.dir, "data");

    // Run 1: two INVITEs, no final response; a clean stop saves them.
    const first = await start(dataDir, configFile);
    const sentAt = Date.now();
    await send(
      first.hepPort,
      sip("INVITE sip:a@carrier.example SIP/2.0", "a@t", "1 INVITE", "z9hG4bKa"),
    );
    await send(
      first.hepPort,
      sip("INVITE sip:b@carrier.example SIP/2.0", "b@t", "1 INVITE", "z9hG4bKb"),
    );
    await waitFor(async () => (await metric(first, OPEN)) === 2, "two open transactions");
    expect(await first.stop()).toBe(0);

    // Run 2: both come back; the 603 for A closes A as a final, not as an orphan.
    const second = await start(dataDir, configFile);
    expect(Date.now() - sentAt).toBeLessThan(TIMEOUT_SECONDS * 1000); // else A timed out meanwhile
    await waitFor(async () => (await metric(second, OPEN)) === 2, "the saved transactions back");
    await send(second.hepPort, sip("SIP/2.0 603 Decline", "a@t", "1 INVITE", "z9hG4bKa"));
    await waitFor(async () => (await metric(second, cls("6xx"))) === 1, "the 603 counted");
    expect(await metric(second, tx("finals"))).toBe(1);
    expect(await metric(second, tx("orphans"))).toBe(0);
    expect(await metric(second, OPEN)).toBe(1);
    expect(await second.stop()).toBe(0);

    // Run 3, started after B's timeout passed while the alerter was down: B is a 408 at once,
    // not TIMEOUT_SECONDS after this start (the timeout runs from the INVITE's receipt).
    const wait = sentAt + TIMEOUT_SECONDS * 1000 + 200 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const third = await start(dataDir, configFile);
    const startedAt = Date.now();
    await waitFor(async () => (await metric(third, cls("4xx"))) === 1, "B counted as a timeout");
    expect(Date.now() - startedAt).toBeLessThan((TIMEOUT_SECONDS * 1000) / 2);
    expect(await metric(third, tx("timeouts"))).toBe(1);
    expect(await metric(third, OPEN)).toBe(0);
    expect(await metric(third, tx("finals"))).toBe(0);
    expect(await third.stop()).toBe(0);
  }, 90_000);
});
