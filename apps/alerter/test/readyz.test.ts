import { afterEach, describe, expect, it } from "vitest";
import { startTestAlerter, tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("/healthz and /readyz", () => {
  it("is ready when nothing is wrong, and says which check failed when a destination is refused", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { alerter } = await startTestAlerter(tmp.dir, {
      destinations: [{ name: "local", type: "webhook", url: "http://127.0.0.1:9/hook" }],
      health: { maxDestinationFailingSeconds: 1 },
    });
    cleanups.push(() => alerter.close());
    expect((await fetch(`${alerter.url}/healthz`)).status).toBe(200);
    const first = await fetch(`${alerter.url}/readyz`);
    expect(first.status).toBe(200);
    // HEP is off: its check passes with a note, and no worker metric says "down".
    expect(((await first.json()) as { checks: { hep: unknown } }).checks.hep).toEqual({
      ok: true,
      note: "HEP is not enabled",
    });
    expect(await (await fetch(`${alerter.url}/metrics`)).text()).not.toMatch(/hep_worker_up/);
    // The loopback destination is refused at start; after 1 s of failing the alerter is not ready.
    const r = await waitFor(async () => {
      const res = await fetch(`${alerter.url}/readyz`);
      return res.status === 503 ? res : undefined;
    }, "not ready");
    const body = (await r.json()) as {
      status: string;
      failed: string[];
      checks: {
        destinations: { failing: { name: string; lastError: string }[] };
        store: { ok: boolean };
      };
    };
    expect(body.status).toBe("not_ready");
    expect(body.failed).toEqual(["destinations"]);
    expect(body.checks.store.ok).toBe(true);
    expect(body.checks.destinations.failing[0]).toMatchObject({ name: "local" });
    expect(body.checks.destinations.failing[0]!.lastError).toMatch(
      /security\.allowPrivateDestinations/,
    );
    // Liveness stays up: the process is alive and answering.
    expect((await fetch(`${alerter.url}/healthz`)).status).toBe(200);
  });
});
