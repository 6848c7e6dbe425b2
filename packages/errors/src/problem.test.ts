import { describe, expect, it } from "vitest";
import { CaptureErrorCodes, CoreErrorCodes, DetectErrorCodes, ErrorCodes } from "./codes.ts";
import { isErrorCode, problem, problemTypeOf, problemTypes } from "./problem.ts";

describe("the problem table", () => {
  it("has one entry per error code and no other", () => {
    expect(Object.keys(problemTypes).sort()).toEqual([...ErrorCodes].sort());
    expect(new Set(ErrorCodes).size).toBe(ErrorCodes.length);
  });

  it("answers every core, detect and capture refusal with a 4xx: bad input is never a server error", () => {
    const input = CaptureErrorCodes.filter((code) => code !== "reader_finished");
    for (const code of [...CoreErrorCodes, ...DetectErrorCodes, ...input]) {
      expect(problemTypes[code].status, code).toBeGreaterThanOrEqual(400);
      expect(problemTypes[code].status, code).toBeLessThan(500);
    }
  });

  it("gives 5xx only to a bug and to an alerter that cannot answer (overloaded, state unreadable)", () => {
    const server = ErrorCodes.filter((code) => problemTypes[code].status >= 500);
    // reader_finished: a program fed the capture reader after ending it;
    // state_unavailable: a Redis-mode node that cannot read the committed state.
    expect(server.sort()).toEqual([
      "internal_error",
      "overloaded",
      "reader_finished",
      "state_unavailable",
    ]);
  });

  it("names a body over the limit content_too_large (RFC 9110 §15.5.14), for both services", () => {
    expect(problemTypes.content_too_large.status).toBe(413);
    expect(isErrorCode("body_too_large")).toBe(false);
  });

  it("refuses names that are not codes, including Object.prototype's", () => {
    expect(isErrorCode("unknown_code")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("nope")).toBe(false);
  });
});

describe("problem", () => {
  it("builds an RFC 9457 document whose type and code name the code", () => {
    expect(
      problem("code_out_of_range", "799 is not a SIP response code", { instance: "/x" }),
    ).toEqual({
      type: "/problems/code_out_of_range",
      title: "Code out of range",
      status: 422,
      detail: "799 is not a SIP response code",
      instance: "/x",
      code: "code_out_of_range",
    });
  });

  it("takes a route's own status and field errors, and leaves out what is empty", () => {
    const errors = [{ path: ["path", "id"], message: "unknown profile" }];
    expect(problem("unknown_profile", "unknown", { status: 404, errors })).toEqual({
      type: "/problems/unknown_profile",
      title: "Unknown profile",
      status: 404,
      detail: "unknown",
      code: "unknown_profile",
      errors,
    });
    expect(problem("not_found", "no route", { errors: [] })).not.toHaveProperty("errors");
    expect(problem("not_found", "no route")).not.toHaveProperty("instance");
  });

  it("describes a type at its type URI", () => {
    expect(problemTypeOf("invalid_json")).toEqual({
      type: "/problems/invalid_json",
      code: "invalid_json",
      status: 400,
      title: "Malformed JSON",
      description: problemTypes.invalid_json.description,
    });
  });
});
