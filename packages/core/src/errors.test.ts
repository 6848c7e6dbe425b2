import { CodedError } from "@sipcodes/errors";
import { describe, expect, it, vi } from "vitest";
import { isSipcodesError, SipcodesError, toSafe } from "./errors.ts";

describe("isSipcodesError", () => {
  it("recognises a SipcodesError from another copy of the core", async () => {
    vi.resetModules();
    const copy = await import("./errors.ts");
    expect(copy.SipcodesError).not.toBe(SipcodesError);
    const error = new copy.SipcodesError("not_sip", "looks like HTTP");
    expect(error instanceof SipcodesError).toBe(false);
    expect(isSipcodesError(error)).toBe(true);
  });

  it("refuses another family's CodedError and a plain Error named SipcodesError", () => {
    class DetectLike extends CodedError<"invalid_config"> {
      override readonly name = "DetectError";
    }
    expect(isSipcodesError(new DetectLike("invalid_config", "x"))).toBe(false);
    const named = Object.assign(new Error("x"), { name: "SipcodesError", code: "not_sip" });
    expect(isSipcodesError(named)).toBe(false);
  });
});

describe("toSafe", () => {
  it("turns a SipcodesError into a failed result and rethrows anything else", () => {
    const refusal = new SipcodesError("empty_input", "input is empty");
    expect(
      toSafe(() => {
        throw refusal;
      }),
    ).toEqual({ success: false, error: refusal });
    expect(() =>
      toSafe(() => {
        throw new TypeError("a bug");
      }),
    ).toThrow(TypeError);
    expect(toSafe(() => 1)).toEqual({ success: true, data: 1 });
  });
});
