import { describe, expect, expectTypeOf, it } from "vitest";
import { ethernet, udp4, writePcap } from "../test/_build.ts";
import { sipMessage } from "../test/_traffic.ts";
import * as api from "./index.ts";
import { CaptureErrorJson, CaptureResult, type SipMessage } from "./schemas.ts";

describe("schemas", () => {
  it("describe the decoders' types exactly", () => {
    expectTypeOf<SipMessage>().toEqualTypeOf<api.SipMessage>();
    expectTypeOf<CaptureResult>().toEqualTypeOf<api.CaptureResult>();
  });

  it("accept what readCapture returns, warnings included", () => {
    const text = sipMessage("SIP/2.0 486 Busy Here", "s@x", "1 INVITE");
    const frame = ethernet(
      udp4("10.0.0.1", "10.0.0.2", 5060, 5060, new TextEncoder().encode(text)),
    );
    const b = writePcap([{ time: 1, data: frame }], 1);
    // Three stray bytes after the last record: a truncated_capture warning.
    const r = api.readCapture(Uint8Array.from([...b, 1, 2, 3]));
    expect(r.warnings.map((w) => w.code)).toEqual(["truncated_capture"]);
    expect(CaptureResult.parse(r)).toEqual(r);
  });

  it("accept a CaptureError as JSON", () => {
    const r = api.safeReadCapture(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    if (r.success) throw new Error("expected an error");
    expect(CaptureErrorJson.parse(JSON.parse(JSON.stringify(r.error)))).toMatchObject({
      code: "not_a_capture",
    });
  });
});
