import { describe, expect, it } from "vitest";
import { explain } from "../explain/index.ts";
import { teamsProfile } from "../profiles/teams.ts";
import { renderMarkdown, renderText } from "./index.ts";

describe("renderText", () => {
  it("shows the code, the operator sections and the caller's message", () => {
    const text = renderText(explain(603, { profile: "jola", direction: "outbound" }));
    expect(text).toMatch(/^603 MaxPeak Cost Exceeded|^603 Decline/);
    expect(text).toContain("What to do");
    expect(text).toContain("Tell the caller");
    expect(text).not.toContain("\u001b[");
  });

  it("colours only when asked", () => {
    expect(renderText(explain(486), { color: true })).toContain("\u001b[");
  });

  it("keeps lines within the width", () => {
    const text = renderText(explain(488), { width: 60 });
    for (const line of text.split("\n")) {
      // A single word longer than the width may overflow; nothing else does.
      if (line.trim().includes(" ")) expect(line.length, line).toBeLessThanOrEqual(60);
    }
  });

  it("flags a fallback", () => {
    expect(renderText(explain(499))).toMatch(/explained as 400/);
  });
});

describe("renderMarkdown", () => {
  it("renders headings, lists and a quoted caller message", () => {
    const text = renderMarkdown(explain("SIP/2.0 486 Busy Here"));
    expect(text).toMatch(/^### 486 Busy Here/);
    expect(text).toContain("**Likely causes**");
    expect(text).toMatch(/\n> .+/);
  });
});

describe("renderText for the end-user audience", () => {
  it("shows only the caller's message and actions", () => {
    const text = renderText(explain(486, { audience: "end-user" }));
    expect(text.split("\n")[0]).toBe("486 Busy Here");
    expect(text).not.toContain("References");
    expect(text).not.toContain("What it means");
    expect(text).toContain("│");
  });
});

describe("renderText's Terms section", () => {
  it("defines the terms a profile adds, read through the explanation's profile", () => {
    const e = explain(403, { profile: "teams", subCode: "560403" });
    const added = (e.terms ?? []).filter((t) => teamsProfile.glossary?.some((g) => g.term === t));
    expect(added.length).toBeGreaterThan(0);
    const text = renderText(e, { glossary: true });
    for (const term of added) expect(text).toContain(`- ${term}: `);
    // Without the profile's glossary those terms had no line at all.
    const shared = renderText(
      { ...e, profile: { ...e.profile, id: "no-such-profile" } },
      { glossary: true },
    );
    for (const term of added) expect(shared).not.toContain(`- ${term}: `);
  });
});
