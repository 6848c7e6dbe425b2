import { SipcodesError } from "@sipcodes/core";
import { CodedError, type CoreErrorCode, CoreErrorCodes, DetectErrorCodes } from "@sipcodes/errors";
import { problemTypes } from "@sipcodes/errors/problem";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { ApiError, toApiError } from "./problem.ts";

class DetectLike extends CodedError {
  override readonly name = "DetectError";
}

/** The app, with one extra route that throws the core error named in its path. */
function appThrowing() {
  const app = createApp();
  app.get("/test/core/:code", (c) => {
    throw new SipcodesError(c.req.param("code") as CoreErrorCode, "the core refused this");
  });
  app.get("/test/detect/:code", (c) => {
    throw new DetectLike(c.req.param("code"), "the detector refused this");
  });
  return app;
}

describe("core and detector errors on the wire", () => {
  const app = appThrowing();

  it.each(CoreErrorCodes)("answers core error %s with its own code and a 4xx", async (code) => {
    const res = await app.request(`/test/core/${code}`);
    const status = problemTypes[code].status;
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({
      type: `http://localhost/problems/${code}`,
      title: problemTypes[code].title,
      status,
      detail: "the core refused this",
      instance: `/test/core/${code}`,
      code,
    });
  });

  it.each(DetectErrorCodes)("answers detector error %s with its own code", async (code) => {
    const res = await app.request(`/test/detect/${code}`);
    expect(res.status).toBe(problemTypes[code].status);
    expect(await res.json()).toMatchObject({ type: `http://localhost/problems/${code}`, code });
  });

  it.each([...CoreErrorCodes, ...DetectErrorCodes])(
    "describes %s at its type URI",
    async (code) => {
      const res = await app.request(`/problems/${code}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code, status: problemTypes[code].status });
    },
  );

  it("answers a coded error whose code is not in the table as a 500 internal_error", () => {
    const error = toApiError(new DetectLike("made_up", "x"));
    expect(error).toBeInstanceOf(ApiError);
    expect([error.code, error.status]).toEqual(["internal_error", 500]);
  });
});
