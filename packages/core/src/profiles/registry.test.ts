import { describe, expect, it } from "vitest";
import type { Profile } from "../schema/profile.ts";
import { jolaProfile } from "./jola.ts";
import { createRegistry, ProfileRegistry } from "./registry.ts";
import { rfcProfile } from "./rfc.ts";

describe("ProfileRegistry.addLazy", () => {
  it("loads a lazily registered profile only when it is asked for, once", () => {
    let loads = 0;
    const registry = new ProfileRegistry([rfcProfile]).addLazy("jola", () => {
      loads++;
      return jolaProfile;
    });
    expect(registry.ids()).toEqual(["rfc", "jola"]);
    expect(loads).toBe(0);
    registry.get("rfc");
    expect(loads).toBe(0);
    expect(registry.get("jola")).toBe(jolaProfile);
    expect(registry.get("jola")).toBe(jolaProfile);
    expect(loads).toBe(1);
  });

  it("loads a lazy parent before a profile that extends it", () => {
    const registry = new ProfileRegistry()
      .addLazy("rfc", () => rfcProfile)
      .addLazy("jola", () => jolaProfile);
    expect(registry.chain(registry.getOrThrow("jola")).map((p) => p.id)).toEqual(["jola", "rfc"]);
  });

  it("lets a user's profile extend a built-in that was not loaded yet", () => {
    const acme: Profile = {
      id: "acme",
      name: "Acme",
      description: "Acme extends jola.",
      extends: "jola",
      codes: {},
    };
    const registry = createRegistry([acme]);
    expect(registry.chain(acme).map((p) => p.id)).toEqual(["acme", "jola", "rfc"]);
    expect(registry.list().map((p) => p.id)).toEqual([
      "rfc",
      "jola",
      "teams",
      "freeswitch",
      "asterisk",
      "acme",
    ]);
  });
});
