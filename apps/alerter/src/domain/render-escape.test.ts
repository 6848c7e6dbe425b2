import type { ScopeRef } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import type { PlannedNotification } from "./grouping.ts";
import { buildPayload, Explainer } from "./notification.ts";
import {
  dedupKey,
  escapeMarkdown,
  escapeSlack,
  renderPagerDuty,
  renderSlack,
  renderSlackApi,
  renderTeams,
} from "./render.ts";

const trunk = "<!channel> *big* [click](https://evil.example) _x_";
function payload(key = trunk) {
  const scope: ScopeRef = { kind: "trunk", key: `trunk:${key}`, trunk: key };
  const n: PlannedNotification = {
    id: "g@t",
    groupKey: `rule=sip-603,trunk=${key}`,
    groupLabels: { rule: "sip-603", trunk: key },
    status: "firing",
    reason: "new",
    time: Date.UTC(2026, 0, 1, 3),
    alerts: [
      {
        incidentId: `sip-603:trunk:${key}:1767236400000`,
        rule: "sip-603",
        scope,
        labels: { rule: "sip-603", scope: "trunk", trunk: key },
        status: "firing",
        since: Date.UTC(2026, 0, 1, 2, 58),
        firedAt: Date.UTC(2026, 0, 1, 3),
        resolvedAt: null,
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
        contributors: [{ kind: "customer", key: "<!here>", count: 60 }],
      },
    ],
  };
  return buildPayload(n, [{ id: "sip-603", codes: [603] }] as never, new Explainer("jola"));
}

describe("labels in chat messages", () => {
  it("escapes Slack mrkdwn so a trunk named <!channel> pings nobody", () => {
    const body = renderSlack(payload())[0]!.body as { text: string; blocks: unknown[] };
    // Every text Slack parses as mrkdwn: the fallback text and each mrkdwn object (plain_text is never parsed).
    const mrkdwn: string[] = [body.text];
    JSON.stringify(body.blocks, (_k, v) => {
      if (v && typeof v === "object" && v.type === "mrkdwn") mrkdwn.push(v.text);
      return v;
    });
    expect(mrkdwn.length).toBeGreaterThan(3);
    const text = mrkdwn.join("\n");
    expect(text).not.toMatch(/<!channel>|<!here>/);
    expect(text).toContain("&lt;!channel&gt;");
    expect(escapeSlack("a & <b>")).toBe("a &amp; &lt;b&gt;");
  });

  it("escapes the Slack API message and its thread reply the same way", () => {
    const body = renderSlackApi(payload())[0]!.body as { text: string; reply: string };
    // The blocks are those of the webhook message (checked above); the reply is mrkdwn too.
    expect(`${body.text}\n${body.reply}`).not.toMatch(/<!channel>|<!here>/);
    expect(body.reply).toMatch(/^\*:red_circle: Firing\* 603 .* on trunk &lt;!channel&gt; /);
    const { reply: _reply, ...message } = body;
    expect(message).toEqual(renderSlack(payload())[0]!.body);
  });

  it("escapes Teams Markdown so a label cannot link or format", () => {
    const text = JSON.stringify(renderTeams(payload())[0]!.body);
    expect(text).not.toContain("[click](https://evil.example)");
    expect(escapeMarkdown("*big* [a](b) _x_")).toBe("\\*big\\* \\[a\\]\\(b\\) \\_x\\_");
  });

  it("keeps PagerDuty dedup keys within 255 characters, distinct for distinct incidents", () => {
    const long = "T".repeat(400);
    const a = renderPagerDuty(payload(long), "key")[0]!.body as { dedup_key: string };
    const b = renderPagerDuty(payload(`${long}x`), "key")[0]!.body as { dedup_key: string };
    expect(a.dedup_key.length).toBeLessThanOrEqual(255);
    expect(a.dedup_key).not.toBe(b.dedup_key);
    expect(dedupKey("short")).toBe("short");
  });
});
