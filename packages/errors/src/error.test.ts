import { describe, expect, it, vi } from "vitest";
import { CodedError, formatIssue, isCodedError } from "./error.ts";

class FamilyError extends CodedError<"a_code"> {
  override readonly name = "FamilyError";
}

describe("isCodedError", () => {
  it("recognises a CodedError and its subclasses, by family name when asked", () => {
    const error = new FamilyError("a_code", "refused");
    expect(isCodedError(error)).toBe(true);
    expect(isCodedError(error, "FamilyError")).toBe(true);
    expect(isCodedError(error, "OtherError")).toBe(false);
  });

  it("recognises an error built by a second copy of the package, where instanceof fails", async () => {
    vi.resetModules();
    const copy = await import("./error.ts");
    expect(copy.CodedError).not.toBe(CodedError);
    class CopiedError extends copy.CodedError<"a_code"> {
      override readonly name = "FamilyError";
    }
    const error = new CopiedError("a_code", "refused");
    expect(error instanceof CodedError).toBe(false);
    expect(isCodedError(error, "FamilyError")).toBe(true);
    expect(copy.isCodedError(new FamilyError("a_code", "refused"), "FamilyError")).toBe(true);
  });

  it("refuses look-alikes: a plain Error with a name and code, an object, a primitive", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "FamilyError", code: "a_code" });
    expect(isCodedError(lookAlike)).toBe(false);
    expect(isCodedError({ name: "FamilyError", code: "a_code", message: "x" })).toBe(false);
    expect(isCodedError(null)).toBe(false);
    expect(isCodedError("a_code")).toBe(false);
  });

  it("keeps the brand out of JSON and out of the enumerable keys", () => {
    const error = new FamilyError("a_code", "refused", [{ path: ["rules", 0], message: "bad" }]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "a_code",
      message: "refused",
      issues: [{ path: ["rules", 0], message: "bad" }],
    });
    expect(Object.keys(error).sort()).toEqual(["code", "issues", "name"]);
    expect(new FamilyError("a_code", "refused").toJSON()).toEqual({
      code: "a_code",
      message: "refused",
    });
  });
});

describe("formatIssue", () => {
  it.each([
    [{ path: ["rules", 0, "lift"], message: "must be ≥ 1" }, "rules[0].lift: must be ≥ 1"],
    [{ path: [], message: "not an object" }, "not an object"],
    [{ path: [2], message: "bad" }, "[2]: bad"],
  ])("formats %j as %s", (issue, text) => {
    expect(formatIssue(issue)).toBe(text);
  });
});
