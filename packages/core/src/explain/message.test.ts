import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeVariants } from "../catalogue/variants.ts";
import { BUILTIN_PROFILE_IDS, createRegistry, DEFAULT_PROFILE, explain } from "../index.ts";
import { teamsProfile } from "../profiles/teams.ts";
import { Explanation } from "../schema/explanation.ts";
import { CodeVariant } from "../schema/variant.ts";

const msg = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;

describe("headers that name the cause", () => {
  it("selects the Teams profile from ms-diagnostics and explains its code", () => {
    const e = explain(
      msg([
        "SIP/2.0 403 Forbidden",
        "CSeq: 1 INVITE",
        'ms-diagnostics: 510559;reason="Get Outbound routing - No viable path";source="sip.pstnhub.microsoft.com"',
      ]),
    );
    expect(e.profile.id).toBe(teamsProfile.id);
    expect(e.profile.selectedBy).toBe("header");
    expect(e.subCode?.subCode).toBe("510559");
    expect(e.subCode?.inferred).toBe(false);
    expect(e.diagnostics?.[0]?.source).toBe("sip.pstnhub.microsoft.com");
    expect(Explanation.safeParse(e).success).toBe(true);
  });

  it("reads an unlisted Microsoft code by the profile's numbering rule", () => {
    const e = explain(msg(["SIP/2.0 486 Busy Here", 'ms-diagnostics-public: 560486;reason="x"']));
    expect(e.profile.id).toBe(teamsProfile.id);
    expect(e.subCode?.inferred).toBe(true);
    expect(e.subCode?.generatedBy).toBe("customer-sbc");
  });

  it("selects the Teams profile from a Server naming the PSTN hub, without a sub-code", () => {
    const e = explain(
      msg(["SIP/2.0 503 Service Unavailable", "Server: Microsoft.PSTNHub.SIPProxy v.2024.1.1.1"]),
    );
    expect(e.profile.id).toBe(teamsProfile.id);
    expect(e.producedBy?.server).toContain("PSTNHub");
    expect(e.subCode).toBeUndefined();
  });

  it("does not switch profile when nothing in the message names a platform", () => {
    const e = explain(msg(["SIP/2.0 403 Forbidden", "Server: Example-SBC/7.2"]));
    expect(e.profile.id).toBe(DEFAULT_PROFILE);
    expect(e.profile.selectedBy).toBe("request");
  });

  it("says so when --sub-code does not apply under the profile", () => {
    const e = explain(486, { subCode: "560486" });
    expect(e.subCode).toBeUndefined();
    expect(e.inputNotes?.[0]).toMatch(/Sub-code 560486 was not explained.*--profile teams/);
  });

  it("selects a user's profile by the headers its data declares", () => {
    const registry = createRegistry([
      {
        id: "acme",
        name: "Acme Carrier",
        description: "A carrier whose SBC reports its own cause codes in X-Acme-Diag.",
        extends: DEFAULT_PROFILE,
        codes: {},
        selectBy: [{ header: "server", contains: "acme-sbc" }],
      },
    ]);
    const e = explain(msg(["SIP/2.0 480 Temporarily Unavailable", "Server: ACME-SBC 2.1"]), {
      registry,
    });
    expect(e.profile.id).toBe("acme");
  });
});

describe("Reason for every protocol", () => {
  it("explains SIP;cause=200 as completed elsewhere, not as an answer", () => {
    const e = explain('SIP;cause=200;text="Call completed elsewhere"');
    expect(e.outcome).toBe("cancelled");
    expect(e.summary).toMatch(/completed elsewhere/);
    expect(e.endUser.message).not.toMatch(/connected/);
  });

  it("keeps all values of a 487's Reason in order with their RFC 8606 location", () => {
    const e = explain(
      msg([
        "SIP/2.0 487 Request Terminated",
        'Reason: SIP;cause=603;text="Declined", Q.850;cause=21;location=RLN',
        "Reason: X.int;reasoncode=0x00000323",
      ]),
    );
    expect(e.reasons?.map((r) => r.protocol)).toEqual(["SIP", "Q.850", "X.int"]);
    expect(e.reasons?.[0]?.meaning).toMatch(/declined elsewhere/);
    expect(e.reasons?.[1]?.meaning).toMatch(/public network serving the remote user/);
    expect(e.reasons?.[2]?.raw).toBe("X.int;reasoncode=0x00000323");
  });

  it("explains a CANCEL request by its Reason instead of refusing it", () => {
    const e = explain(
      msg([
        "CANCEL sip:+13105550100@gw SIP/2.0",
        "CSeq: 5 CANCEL",
        'Reason: SIP;cause=200;text="Call completed elsewhere"',
      ]),
    );
    expect(e.request).toMatchObject({ method: "CANCEL", isRequest: true });
    expect(e.outcome).toBe("cancelled");
  });

  it("explains a BYE with a Q.850 cause by the code RFC 3398 maps it to", () => {
    const e = explain(msg(["BYE sip:a@b SIP/2.0", "CSeq: 9 BYE", "Reason: Q.850;cause=34"]));
    expect(e.code).toBe(503);
    expect(e.request?.method).toBe("BYE");
  });
});

describe("the CSeq method", () => {
  it("explains 200 to CANCEL as the cancel accepted, not an answer", () => {
    const e = explain(msg(["SIP/2.0 200 OK", "CSeq: 2 CANCEL"]));
    expect(e.outcome).toBe("cancelled");
    expect(e.summary).toMatch(/CANCEL was accepted/);
    expect(e.request).toMatchObject({ method: "CANCEL", isRequest: false });
  });
  it("leaves INVITE responses as they were", () => {
    const plain = explain("SIP/2.0 200 OK");
    const withCseq = explain(msg(["SIP/2.0 200 OK", "CSeq: 2 INVITE"]));
    expect(withCseq.summary).toBe(plain.summary);
    expect(withCseq.request).toBeUndefined();
  });
});

describe("603 Network Blocked", () => {
  const blocked = msg([
    "SIP/2.0 603 Network Blocked",
    'Reason: SIP;cause=603;text="Network Blocked"',
    "Call-Info: <https://redress.example.net/block.jcard>;purpose=jwscard",
  ]);
  it("is the analytics-blocking meaning, with the redress contact", () => {
    const e = explain(blocked);
    expect(e.variant?.id).toBe("network-blocked");
    expect(e.redress).toEqual([
      { uri: "https://redress.example.net/block.jcard", purpose: "jwscard" },
    ]);
    expect(e.summary).not.toMatch(/declined|refused the call\b/i);
    expect(Explanation.safeParse(e).success).toBe(true);
  });
  it("tells the caller the network blocked it and how to dispute it", () => {
    const e = explain(blocked, { audience: "end-user" });
    expect(e.endUser.message).toMatch(/blocked by .*network/);
    expect(e.endUser.message).toMatch(/dispute/);
    expect(e.endUser.message).not.toMatch(/declined/);
  });
  it("is selected by the jwscard Call-Info even under another phrase", () => {
    const e = explain(
      msg(["SIP/2.0 603 Decline", "Call-Info: <https://r.example/j>;purpose=jwscard"]),
    );
    expect(e.variant?.id).toBe("network-blocked");
  });
  it("leaves a plain 603 Decline a decline", () => {
    expect(explain("SIP/2.0 603 Decline").variant).toBeUndefined();
  });
});

describe("core code names no profile id", () => {
  it("has no built-in profile id as a string literal outside profiles/", () => {
    const root = join(import.meta.dirname, "..");
    const ids = BUILTIN_PROFILE_IDS.filter((id) => id !== DEFAULT_PROFILE);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== "profiles") walk(path);
        } else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) {
          const text = readFileSync(path, "utf8");
          for (const id of ids)
            if (new RegExp(`["'\`]${id}["'\`]`).test(text)) offenders.push(`${path}: ${id}`);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe("the variant catalogue", () => {
  it("is valid against its schema", () => {
    for (const v of codeVariants) expect(CodeVariant.parse(v)).toBeTruthy();
  });
});

describe("603 Network Blocked under a profile that redefines 603", () => {
  it("is still the analytics-blocking meaning, and says the profile's meaning was not applied", () => {
    const e = explain("SIP/2.0 603 Network Blocked", { profile: "jola" });
    expect(e.variant?.id).toBe("network-blocked");
    expect(e.received).toMatchObject({ phrase: "Network Blocked" });
    expect(e.summary).not.toMatch(/cost/i);
  });
});
