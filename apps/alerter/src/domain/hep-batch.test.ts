import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEventBody } from "./event.ts";
import { encodeHepBatch, hepRecord } from "./hep-batch.ts";
import type { HepCallEvent } from "./hep-calls.ts";

const decode = (bytes: ArrayBuffer) => parseEventBody(new TextDecoder().decode(bytes), false);

const event = (over: Partial<HepCallEvent> = {}): HepCallEvent => ({
  id: "hep:c1@pbx:1",
  time: 1_767_225_600_123,
  code: 603,
  phrase: "Decline",
  reason: 'Q.850;cause=21;text="Call Rejected"',
  diagnostics: "10199",
  direction: "outbound",
  trunk: "carrier-a",
  customer: "acme",
  outcome: "final",
  ...over,
});

describe("HEP call events between threads", () => {
  it("reads back as the events the store takes, in order, without what the store has no column for", () => {
    const events = [event(), event({ id: "hep:c2@pbx:1", code: 408, outcome: "timeout" })];
    const parsed = decode(encodeHepBatch(events));
    expect(parsed?.rejected).toEqual([]);
    expect(parsed?.events).toEqual(events.map(hepRecord));
    expect(parsed?.events[0]).not.toHaveProperty("diagnostics");
  });

  it("keeps a final's ms-diagnostics as its reason when it has no Reason header", () => {
    const teams = event({
      reason: undefined,
      diagnostics: '10199;reason="Call rejected by policy"',
    });
    const [e] = decode(encodeHepBatch([teams, event()]))!.events;
    expect(e?.reason).toBe('ms-diagnostics: 10199;reason="Call rejected by policy"');
    expect(decode(encodeHepBatch([event()]))!.events[0]?.reason).toBe(event().reason);
  });

  it("fits what the event schema would refuse: long and empty values, non-ASCII text", () => {
    const long = event({
      trunk: "t".repeat(250),
      customer: "",
      phrase: "Ω".repeat(300),
      reason: `SIP;cause=500;text="${"x".repeat(2000)}"`,
    });
    const parsed = decode(encodeHepBatch([long]));
    expect(parsed?.rejected).toEqual([]);
    const [e] = parsed!.events;
    expect(e?.trunk).toHaveLength(200);
    expect(e?.customer).toBeUndefined();
    expect(e?.phrase).toBe("Ω".repeat(200));
    expect(e?.reason).toHaveLength(1000);
  });

  it("never has an event refused, whatever the labels a feed carries", () => {
    const label = fc.option(fc.string({ maxLength: 400, unit: "grapheme" }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            trunk: label,
            customer: label,
            phrase: label,
            reason: fc.option(fc.string({ maxLength: 1500 }), { nil: undefined }),
            code: fc.integer({ min: 200, max: 699 }),
          }),
          { maxLength: 20 },
        ),
        (overs) => {
          const events = overs.map((o, i) => event({ ...o, id: `hep:p${i}:1` }));
          const parsed = decode(encodeHepBatch(events));
          expect(parsed?.rejected).toEqual([]);
          expect(parsed?.events).toHaveLength(events.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
