import { SipcodesError } from "@sipcodes/core";
import { DetectError } from "@sipcodes/detect";
import { describe, expect, it, vi } from "vitest";
import { CliError, EXIT } from "./context.ts";
import { describeError } from "./errors.ts";

describe("describeError", () => {
  it.each([
    [new CliError("no code matches", EXIT.notFound), EXIT.notFound],
    [new CliError("--top must be a number", EXIT.usage), EXIT.usage],
    [new SipcodesError("code_out_of_range", "799 is not a SIP response code"), EXIT.notFound],
    [new SipcodesError("invalid_profile", "bad profile"), EXIT.usage],
    [new DetectError("invalid_config", "rules[0].lift: must be ≥ 1"), EXIT.usage],
  ])("prints the message of %s and exits %i", (error, exitCode) => {
    expect(describeError(error)).toEqual({ message: error.message, exitCode });
  });

  it("recognises errors thrown by another bundle's copy of the classes", async () => {
    vi.resetModules();
    const context = await import("./context.ts");
    const core = await import("@sipcodes/core");
    expect(context.CliError).not.toBe(CliError);
    expect(core.SipcodesError).not.toBe(SipcodesError);
    expect(describeError(new context.CliError("is a directory", EXIT.usage))).toEqual({
      message: "is a directory",
      exitCode: EXIT.usage,
    });
    expect(describeError(new core.SipcodesError("unknown_q850_cause", "no cause 0"))).toEqual({
      message: "no cause 0",
      exitCode: EXIT.notFound,
    });
  });

  it("reports anything else as an internal error, exit 70", () => {
    const lookAlike = Object.assign(new Error("boom"), { name: "CliError", exitCode: 2 });
    expect(describeError(lookAlike)).toEqual({
      message: "internal error: boom (please report this bug)",
      exitCode: EXIT.internal,
    });
    expect(describeError("oops").exitCode).toBe(EXIT.internal);
  });
});
