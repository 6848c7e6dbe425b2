import { describe, expect, it } from "vitest";
import { SESSION_SECONDS, SessionKeys, sameOrigin, sessionCookie } from "./session.ts";

const keys = new SessionKeys("sca_a-management-token-of-some-length");
const NOW = Date.UTC(2026, 11, 2);

describe("SessionKeys", () => {
  it("opens a cookie it sealed until it expires", () => {
    const s = keys.create(NOW);
    expect(s.expiresAt).toBe(NOW + SESSION_SECONDS * 1000);
    const value = keys.seal(s);
    expect(keys.open(value, NOW + 1000)).toEqual(s);
    expect(keys.open(value, s.expiresAt)).toBeUndefined();
  });

  it("refuses a cookie changed in any part, or sealed with another token", () => {
    const s = keys.create(NOW);
    const [id, exp, mac] = keys.seal(s).split(".") as [string, string, string];
    const later = String(Number(exp) + 3_600_000);
    for (const forged of [
      `${id}.${later}.${mac}`,
      `${id.replace(/^./, (c) => (c === "a" ? "b" : "a"))}.${exp}.${mac}`,
      `${id}.${exp}.${mac.slice(0, -1)}`,
      `${id}.${exp}`,
      "",
      `${id}.${exp}.${mac}.x`,
    ]) {
      expect(keys.open(forged, NOW), forged).toBeUndefined();
    }
    const other = new SessionKeys("sca_another-management-token-value");
    expect(other.open(keys.seal(s), NOW)).toBeUndefined();
  });

  it("gives each session its own form token", () => {
    const a = keys.create(NOW);
    const b = keys.create(NOW);
    expect(keys.checkFormToken(a, keys.formToken(a))).toBe(true);
    expect(keys.checkFormToken(a, keys.formToken(b))).toBe(false);
    expect(keys.checkFormToken(a, undefined)).toBe(false);
    expect(keys.checkFormToken(a, "")).toBe(false);
  });
});

describe("sessionCookie", () => {
  it("is HttpOnly, SameSite=Strict, scoped to /ui, Secure only over https", () => {
    expect(sessionCookie("v", false)).toBe(
      `sipcodes_ui=v; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}`,
    );
    expect(sessionCookie("v", true)).toMatch(/; Secure$/);
    expect(sessionCookie(null, false)).toMatch(/^sipcodes_ui=; .*Max-Age=0/);
  });
});

describe("sameOrigin", () => {
  const self = "http://127.0.0.1:8788";
  it.each([
    [undefined, undefined, true],
    [self, "same-origin", true],
    [self, undefined, true],
    [undefined, "same-origin", true],
    ["https://evil.example", undefined, false],
    ["null", undefined, false],
    [self, "same-site", false],
    [self, "cross-site", false],
    [undefined, "none", false],
  ] as const)("origin %s, Sec-Fetch-Site %s: %s", (origin, secFetchSite, ok) => {
    expect(sameOrigin({ origin, secFetchSite, self })).toBe(ok);
  });
});
