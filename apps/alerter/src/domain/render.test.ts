import type { PhraseCount, ScopeRef } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import type { PlannedNotification } from "./grouping.ts";
import { buildPayload, Explainer } from "./notification.ts";
import { renderPagerDuty, renderSlack, renderTeams } from "./render.ts";

const scope: ScopeRef = {
  kind: "trunk_direction",
  key: "trunk_direction:T1:outbound",
  trunk: "T1",
  direction: "outbound",
};
const planned = (status: "firing" | "resolved"): PlannedNotification => ({
  id: "g@t",
  groupKey: "rule=sip-603,trunk=T1,direction=outbound",
  groupLabels: { rule: "sip-603", trunk: "T1", direction: "outbound" },
  status,
  reason: "new",
  time: Date.UTC(2026, 0, 1, 3),
  alerts: [
    {
      incidentId: "sip-603:trunk_direction:T1:outbound:1767236400000",
      rule: "sip-603",
      scope,
      labels: { rule: "sip-603", scope: "trunk_direction", trunk: "T1", direction: "outbound" },
      status,
      since: Date.UTC(2026, 0, 1, 2, 58),
      firedAt: Date.UTC(2026, 0, 1, 3),
      resolvedAt: status === "resolved" ? Date.UTC(2026, 0, 1, 3, 20) : null,
      evaluatedAt: Date.UTC(2026, 0, 1, 3),
      reading: {
        status: "ok",
        windowMinutes: 5,
        calls: 150,
        count: 75,
        rate: 0.5,
        wilsonLower: 0.396,
        baseline: 0.01,
        threshold: 0.06,
        resolveThreshold: 0.048,
      },
      contributors: [{ kind: "customer", key: "acme", count: 60 }],
    },
  ],
});
const rules = [{ id: "sip-603", codes: [603] }] as never;
const payload = (status: "firing" | "resolved") =>
  buildPayload(planned(status), rules, new Explainer("jola"));

describe("notification payloads", () => {
  it("carry the jola explanation of 603 and the numbers behind the decision", () => {
    const p = payload("firing");
    expect(p.type).toBe("alert.firing");
    const a = p.alerts[0]!;
    expect(a.summary).toBe(
      "603 MaxPeak Cost Exceeded on trunk T1 (outbound): 75 of 150 calls (50.0%) in 5 min, 99% lower bound 39.6% > threshold 6.0% (baseline 1.0%)",
    );
    expect(a.explanations[0]?.summary).toMatch(/per-minute cost is above the account's ceiling/);
    expect(a.numbers).toMatchObject({
      windowMinutes: 5,
      calls: 150,
      count: 75,
      baseline: 0.01,
      threshold: 0.06,
    });
    expect(a.since).toBe("2026-01-01T02:58:00.000Z");
  });

  it("say the sequential test's evidence when it fired before the window's bound cleared", () => {
    const n = planned("firing");
    n.alerts[0]!.reading = {
      ...n.alerts[0]!.reading,
      count: 14,
      rate: 14 / 150,
      wilsonLower: 0.046,
      llr: 25.1,
      changeMinutes: 1,
      changeCalls: 30,
      changeCount: 12,
    };
    const p = buildPayload(n, rules, new Explainer("jola"));
    expect(p.alerts[0]!.summary).toBe(
      "603 MaxPeak Cost Exceeded on trunk T1 (outbound): 12 of 30 calls (40.0%) in the 1 min since it rose, " +
        "log-likelihood 25.1 for a rate over 6.0% against the baseline 1.0% (14 of 150 calls (9.3%) in 5 min)",
    );
    const [teams] = renderTeams(p);
    expect(JSON.stringify(teams!.body)).toContain("log-likelihood 25.1 over 1 min");
    // A window over its bound keeps the window's wording.
    expect(payload("firing").alerts[0]!.summary).toMatch(/99% lower bound 39.6% > threshold 6.0%/);
  });

  it("render Slack Block Kit with a header, the explanation and the numbers", () => {
    const [m] = renderSlack(payload("firing"));
    const body = m!.body as {
      text: string;
      blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    };
    expect(body.text).toBe("[FIRING:1] sip-603 on trunk T1 outbound");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    expect(body.blocks[1]!.text!.text).toMatch(/Jola support to raise the per-minute cost limit/);
    expect(body.blocks[2]!.elements!.map((e) => e.text).join(" ")).toMatch(
      /Wilson ≥ 39\.6%.*customer acme \(60\)/,
    );
  });

  it("render a Teams Adaptive Card in a message attachment", () => {
    const [m] = renderTeams(payload("firing"));
    const body = m!.body as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: { type: string }[] };
      }[];
    };
    expect(body.type).toBe("message");
    expect(body.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0]!.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(body.attachments[0]!.content.body.map((b) => b.type)).toContain("FactSet");
  });

  it("render PagerDuty trigger and resolve with the alert episode's id as dedup_key", () => {
    // The alert's id (…:1767236400000) names the episode it first had; this one went pending at
    // 02:58 (a re-fire within the cooldown keeps the id), and it is a PagerDuty incident of its own.
    const episode = `sip-603:trunk_direction:T1:outbound:${Date.UTC(2026, 0, 1, 2, 58)}`;
    expect(payload("firing").alerts[0]!.episodeId).toBe(episode);
    const [trigger] = renderPagerDuty(payload("firing"), "R0UTING");
    expect(trigger).toMatchObject({ part: `pd:${episode}:trigger`, stream: `pd:${episode}` });
    expect(trigger!.body).toMatchObject({
      routing_key: "R0UTING",
      event_action: "trigger",
      dedup_key: episode,
      payload: { severity: "error", source: "T1", component: "T1", group: "sip-603", class: "603" },
    });
    const [resolve] = renderPagerDuty(payload("resolved"), "R0UTING");
    expect(resolve).toMatchObject({ part: `pd:${episode}:resolve`, stream: `pd:${episode}` });
    expect(resolve!.body).toEqual({
      routing_key: "R0UTING",
      event_action: "resolve",
      dedup_key: episode,
    });
  });
});

describe("phrase-aware payloads", () => {
  const withPhrases = (phrases: PhraseCount[]) => {
    const n = planned("firing");
    const a = n.alerts[0]!;
    return buildPayload(
      { ...n, alerts: [{ ...a, scope: { kind: "trunk", key: "trunk:T1", trunk: "T1" }, phrases }] },
      rules,
      new Explainer("jola"),
    ).alerts[0]!;
  };

  it("names and explains the phrases seen, never a profile meaning the traffic did not carry", () => {
    const a = withPhrases([
      { code: 603, phrase: "Decline", reason: null, direction: "outbound", count: 66 },
      {
        code: 603,
        phrase: "MaxPeak Cost Exceeded",
        reason: 'Q.850;cause=21;text="Call rejected"',
        direction: "outbound",
        count: 9,
      },
    ]);
    expect(a.summary).toMatch(/^603 Decline \(66\), 603 MaxPeak Cost Exceeded \(9\) on trunk T1: /);
    expect(a.phrases.map((p) => [p.phrase, p.count, p.reasons])).toEqual([
      ["Decline", 66, []],
      ["MaxPeak Cost Exceeded", 9, ['Q.850;cause=21;text="Call rejected"']],
    ]);
    // The standard meaning for the Declines, jola's cost ceiling only for the phrase that says so.
    expect(a.explanations[0]!.summary).not.toMatch(/cost/i);
    // jola stays the profile asked for; its meaning of 603 is left out for a phrase not its own.
    expect(a.explanations[0]!.profile.notApplied).toEqual([{ profile: "jola", reason: "phrase" }]);
    expect(a.explanations[1]!.summary).toMatch(/cost/i);
    // The trunk scope has no direction; the calls' direction picks the advice.
    expect(a.explanations[1]!.direction).toBe("outbound");
  });

  it("says 603 Decline alone when only Declines were seen", () => {
    const a = withPhrases([
      { code: 603, phrase: "Decline", reason: null, direction: null, count: 40 },
      { code: 603, phrase: "Decline", reason: null, direction: null, count: 35 },
    ]);
    expect(a.summary).toMatch(/^603 Decline on trunk T1: /);
    expect(a.phrases).toHaveLength(1);
    expect(a.phrases[0]!.count).toBe(75);
    expect(renderSlack({ ...payload("firing"), alerts: [a] }).length).toBe(1);
    expect(JSON.stringify(renderSlack({ ...payload("firing"), alerts: [a] }))).not.toMatch(
      /MaxPeak/,
    );
  });
});
