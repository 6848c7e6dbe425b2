import { describe, expect, it } from "vitest";
import { sendEvents, startTestAlerter, tempDir } from "./helpers.ts";

describe("restart with the wall clock", () => {
  it("replays acknowledged events logged after the last snapshot, and still knows their ids", async () => {
    const tmp = tempDir();
    try {
      const config = { evaluation: { clock: "wall" as const, intervalSeconds: 3600 } };
      const now = Date.now();
      const events = Array.from({ length: 500 }, (_, i) => ({
        id: `w-${i}`,
        time: now - 60_000 + i * 100,
        code: i % 10 ? 200 : 500,
        trunk: `T${i % 3}`,
        direction: "inbound",
      }));
      const first = await startTestAlerter(tmp.dir, config);
      expect(
        (await sendEvents(first.alerter.url, first.secrets.ingestSecret, events, 200)).accepted,
      ).toBe(500);
      const before = first.alerter.engine.detector.stats();
      expect(before.events.accepted).toBe(500);

      // An evaluation commits a snapshot; events after it live only in the log.
      const auth = { authorization: `Bearer ${first.secrets.apiToken}` };
      const evaluated = await fetch(`${first.alerter.url}/v1/admin/evaluate`, {
        method: "POST",
        headers: auth,
      });
      expect(evaluated.status).toBe(200);
      const later = events.map((e, i) => ({ ...e, id: `w2-${i}` }));
      await sendEvents(first.alerter.url, first.secrets.ingestSecret, later, 250);
      const pinned = await fetch(`${first.alerter.url}/v1/admin/evaluate`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ now: now + 3600_000 }),
      });
      expect(pinned.status).toBe(409); // the wall clock cannot be moved
      await first.alerter.close();

      const second = await startTestAlerter(tmp.dir, config);
      try {
        const after = second.alerter.engine.detector.stats();
        expect(after.events.accepted).toBe(1000);
        expect(after.scopes).toEqual(first.alerter.engine.detector.stats().scopes);
        expect(
          await sendEvents(
            second.alerter.url,
            second.secrets.ingestSecret,
            [...events, ...later],
            500,
          ),
        ).toEqual({
          accepted: 0,
          duplicate: 1000,
        });
      } finally {
        await second.alerter.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
