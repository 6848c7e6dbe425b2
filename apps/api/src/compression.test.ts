import { describe, expect, it } from "vitest";
import { mayCompress, withEncodingVary } from "./compression.ts";

describe("withEncodingVary", () => {
  const json = { "content-type": "application/json", "content-length": "2722", vary: "Accept" };

  it("adds Accept-Encoding to the Vary of an answer that could have been compressed", () => {
    expect(withEncodingVary(200, json).vary).toBe("Accept, Accept-Encoding");
    expect(withEncodingVary(200, { "Content-Type": "text/plain" })).toEqual({
      "Content-Type": "text/plain",
      vary: "Accept-Encoding",
    });
    expect(withEncodingVary(304, { etag: '"x"', vary: "Accept" }).vary).toBe(
      "Accept, Accept-Encoding",
    );
  });

  it("leaves other answers, and the object it was given, as they are", () => {
    const frozen = Object.freeze({ ...json });
    expect(withEncodingVary(200, frozen)).not.toBe(frozen);
    expect(frozen.vary).toBe("Accept");
    const small = { ...json, "content-length": "900" };
    expect(withEncodingVary(200, small)).toBe(small);
    const image = { "content-type": "image/png", "content-length": "9000" };
    expect(withEncodingVary(200, image)).toBe(image);
    expect(withEncodingVary(404, json)).toBe(json);
    const noTag = { vary: "Accept" };
    expect(withEncodingVary(304, noTag)).toBe(noTag);
    const already = { ...json, vary: "Accept, accept-encoding" };
    expect(withEncodingVary(200, already)).toBe(already);
  });

  it("follows the rule compress uses", () => {
    expect(mayCompress("application/problem+json", 2000)).toBe(true);
    expect(mayCompress("text/html; charset=utf-8", Number.NaN)).toBe(true);
    expect(mayCompress("application/json", 1023)).toBe(false);
    expect(mayCompress("image/png", 5000)).toBe(false);
  });
});
