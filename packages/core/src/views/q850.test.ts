import { describe, expect, it } from "vitest";
import { getQ850Cause } from "../catalogue/q850.ts";
import { asteriskProfile } from "../profiles/asterisk.ts";
import { freeswitchProfile } from "../profiles/freeswitch.ts";
import { createRegistry } from "../profiles/registry.ts";
import { platformCauseMapping } from "./q850.ts";

describe("platformCauseMapping", () => {
  it("says nothing under the standard profile, which has no table of its own", () => {
    expect(platformCauseMapping(21)).toBeUndefined();
    expect(platformCauseMapping(21, { profile: "jola" })).toBeUndefined();
  });

  it.each([
    // [profile, cause, what the platform sends, listed in its table, differs from RFC 3398]
    ["freeswitch", 17, 486, true, false],
    ["freeswitch", 21, 603, true, false],
    ["freeswitch", 44, 503, true, true],
    ["freeswitch", 88, 488, true, true],
    ["freeswitch", 16, 480, false, true],
    ["freeswitch", 127, 480, false, true],
    ["asterisk", 21, 403, true, false],
    ["asterisk", 38, 500, true, true],
    ["asterisk", 58, 488, true, true],
    ["asterisk", 41, 603, false, true],
    ["asterisk", 102, 603, false, true],
  ] as const)(
    "%s answers cause %i with %i (listed %s, differs %s)",
    (profile, cause, sip, listed, differs) => {
      expect(platformCauseMapping(cause, { profile })).toMatchObject({
        profile,
        cause,
        sip,
        listed,
        differs,
      });
    },
  );

  it("compares with RFC 3398's own row, its user-location variant and its special cases", () => {
    // RFC 3398: 21 is 403, or 603 when the user side rejected: FreeSWITCH's 603 is one of the two,
    // but the note still explains that FreeSWITCH sends it whatever the location.
    const fs21 = platformCauseMapping(21, { profile: "freeswitch" });
    expect(fs21?.rfc3398).toEqual([403, 603]);
    expect(fs21?.differs).toBe(false);
    expect(fs21?.note).toMatch(/every CALL_REJECTED with 603/);
    expect(platformCauseMapping(44, { profile: "freeswitch" })?.rfc3398).toBe("untranslatable");
    expect(platformCauseMapping(16, { profile: "asterisk" })?.note).toMatch(
      /^Asterisk \(chan_pjsip\) answers 603 for cause 16 \(not in its table: its fallback\); RFC 3398 expects a BYE or CANCEL/,
    );
  });

  it("reads the table of a user's profile that extends a platform", () => {
    const registry = createRegistry([
      {
        id: "my-pbx",
        name: "My PBX",
        description: "Our FreeSWITCH cluster.",
        extends: "freeswitch",
        codes: {},
      },
    ]);
    expect(platformCauseMapping(21, { profile: "my-pbx", registry })?.profile).toBe("freeswitch");
  });

  it("holds one row per cause, each a cause Q.850 assigns", () => {
    for (const p of [freeswitchProfile, asteriskProfile]) {
      const causes = p.causeMappings.map((m) => m.cause);
      expect(new Set(causes).size, p.id).toBe(causes.length);
      for (const c of causes) expect(getQ850Cause(c), `${p.id} ${c}`).toBeDefined();
    }
  });
});
