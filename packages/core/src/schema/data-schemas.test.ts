import { describe, expect, it } from "vitest";
import { listQ850Causes } from "../catalogue/q850.ts";
import { defaultRegistry, summarizeProfile } from "../profiles/registry.ts";
import { ProfileSummary } from "./profile-summary.ts";
import { Q850Cause } from "./q850.ts";

describe("the schemas the API publishes match what the core returns", () => {
  it("every Q.850 cause parses as Q850Cause, unchanged", () => {
    const causes = listQ850Causes();
    expect(causes.length).toBeGreaterThan(50);
    for (const cause of causes) expect(Q850Cause.strict().parse(cause)).toEqual(cause);
  });

  it("every built-in profile's summary parses as ProfileSummary, unchanged", () => {
    for (const profile of defaultRegistry().list()) {
      const summary = summarizeProfile(profile);
      expect(ProfileSummary.strict().parse(summary)).toEqual(summary);
    }
  });

  it("refuses a cause with a SIP mapping that is not a whole number", () => {
    const [cause] = listQ850Causes();
    expect(Q850Cause.safeParse({ ...cause, sip: [{ code: 4.5 }] }).success).toBe(false);
  });
});
