import type { Explanation } from "@sipcodes/core";
import type { AlertPayload, NotificationPayload } from "./notification.ts";
import { pct } from "./notification.ts";

/** One HTTP body to post to a destination (PagerDuty gets one per alert). */
export interface RenderedMessage {
  /** Distinguishes several messages of one notification (the PagerDuty dedup key). */
  part: string;
  body: unknown;
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/**
 * Slack mrkdwn: `&`, `<` and `>` as entities (Slack's own rule), so a label
 * such as `<!channel>` or `<https://x|y>` shows as text and pings nobody.
 */
export const escapeSlack = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Teams (Adaptive Card) Markdown: a backslash before the characters that make
 * emphasis, code, links or tags, so a label cannot format or link.
 */
export const escapeMarkdown = (s: string) => s.replace(/[\\`*_[\]()~<>]/g, "\\$&");

/** PagerDuty caps `dedup_key` at 255 characters: longer keys keep a prefix and a hash of the whole. */
export function dedupKey(key: string): string {
  if (key.length <= 255) return key;
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${key.slice(0, 238)}~${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}`;
}

function title(n: NotificationPayload): string {
  const firing = n.alerts.filter((a) => a.status === "firing").length;
  const resolved = n.alerts.length - firing;
  const rule = n.groupLabels.rule ?? n.alerts[0]?.rule ?? "alert";
  const where = [n.groupLabels.trunk && `trunk ${n.groupLabels.trunk}`, n.groupLabels.direction]
    .filter(Boolean)
    .join(" ");
  const head = n.status === "firing" ? `[FIRING:${firing}]` : "[RESOLVED]";
  const tail = n.status === "firing" && resolved ? ` (${resolved} resolved)` : "";
  return `${head} ${rule}${where ? ` on ${where}` : ""}${tail}`;
}

function actions(e: Explanation | undefined): string[] {
  return (e?.operator?.actions ?? []).map((a) => a.text);
}

function numbersLine(a: AlertPayload): string {
  const x = a.numbers;
  return (
    `window ${x.windowMinutes} min · calls ${x.calls} · ${a.codes.join("/")} count ${x.count} · rate ${pct(x.rate)} · ` +
    `Wilson ≥ ${pct(x.wilsonLower)} · baseline ${pct(x.baseline)} · threshold ${pct(x.threshold)} · since ${a.since}`
  );
}

function contributorsLine(a: AlertPayload): string {
  return a.contributors.map((c) => `${c.kind} ${c.key} (${c.count})`).join(", ");
}

/** Slack incoming webhook, Block Kit. */
export function renderSlack(n: NotificationPayload): RenderedMessage[] {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: clip(title(n), 150) } },
  ];
  for (const a of n.alerts.slice(0, 10)) {
    const e = a.explanations[0];
    const lines = [
      `*${a.status === "firing" ? ":red_circle:" : ":large_green_circle:"} ${escapeSlack(a.summary)}*`,
    ];
    if (e && a.status === "firing") {
      lines.push(escapeSlack(e.summary));
      for (const act of actions(e).slice(0, 3)) lines.push(`• ${escapeSlack(act)}`);
    }
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(lines.join("\n"), 3000) } });
    const context = [escapeSlack(numbersLine(a))];
    if (a.contributors.length) context.push(`top: ${escapeSlack(contributorsLine(a))}`);
    context.push(`incident ${escapeSlack(a.incidentId)}`);
    blocks.push({
      type: "context",
      elements: context.map((text) => ({ type: "mrkdwn", text: clip(text, 3000) })),
    });
  }
  if (n.alerts.length > 10) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `…and ${n.alerts.length - 10} more alerts` }],
    });
  }
  return [{ part: "slack", body: { text: escapeSlack(title(n)), blocks } }];
}

/** Microsoft Teams Workflows ("Post to a channel when a webhook request is received"): an Adaptive Card. */
export function renderTeams(n: NotificationPayload): RenderedMessage[] {
  const body: unknown[] = [
    {
      type: "TextBlock",
      text: escapeMarkdown(title(n)),
      weight: "Bolder",
      size: "Large",
      wrap: true,
      color: n.status === "firing" ? "Attention" : "Good",
    },
  ];
  for (const a of n.alerts.slice(0, 10)) {
    const e = a.explanations[0];
    body.push({
      type: "TextBlock",
      text: escapeMarkdown(a.summary),
      wrap: true,
      weight: "Bolder",
      separator: true,
    });
    if (e && a.status === "firing") {
      body.push({ type: "TextBlock", text: e.summary, wrap: true });
      const acts = actions(e).slice(0, 3);
      if (acts.length)
        body.push({ type: "TextBlock", text: acts.map((t) => `- ${t}`).join("\n"), wrap: true });
    }
    const x = a.numbers;
    const facts = [
      ["Window", `${x.windowMinutes} min`],
      ["Calls", String(x.calls)],
      [`${a.codes.join("/")} count`, String(x.count)],
      ["Rate", pct(x.rate)],
      ["Wilson lower bound", pct(x.wilsonLower)],
      ["Baseline", pct(x.baseline)],
      ["Threshold", pct(x.threshold)],
      ["Since", a.since],
      ["Incident", a.incidentId],
    ];
    if (a.contributors.length) facts.push(["Top", contributorsLine(a)]);
    body.push({
      type: "FactSet",
      facts: facts.map(([title, value]) => ({ title, value: escapeMarkdown(value ?? "") })),
    });
  }
  return [
    {
      part: "teams",
      body: {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            contentUrl: null,
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              msteams: { width: "Full" },
              body,
            },
          },
        ],
      },
    },
  ];
}

/** PagerDuty Events API v2: one trigger or resolve per alert, our incident id as `dedup_key`. */
export function renderPagerDuty(n: NotificationPayload, routingKey: string): RenderedMessage[] {
  return n.alerts.map((a) => {
    if (a.status === "resolved") {
      return {
        part: `pd:${a.incidentId}:resolve`,
        body: {
          routing_key: routingKey,
          event_action: "resolve",
          dedup_key: dedupKey(a.incidentId),
        },
      };
    }
    const e = a.explanations[0];
    return {
      part: `pd:${a.incidentId}:trigger`,
      body: {
        routing_key: routingKey,
        event_action: "trigger",
        dedup_key: dedupKey(a.incidentId),
        payload: {
          summary: clip(a.summary, 1024),
          source: a.labels.trunk ?? a.labels.customer ?? "sipcodes-alerter",
          severity: a.codes.includes(500) ? "critical" : "error",
          timestamp: a.firedAt,
          component: a.labels.trunk ?? "all-trunks",
          group: a.rule,
          class: a.codes.join("/"),
          custom_details: {
            scope: a.scope,
            numbers: a.numbers,
            since: a.since,
            contributors: a.contributors,
            meaning: e?.summary,
            actions: actions(e),
            profile: n.profile,
          },
        },
      },
    };
  });
}

/** The generic webhook: the payload as it is. */
export function renderWebhook(n: NotificationPayload): RenderedMessage[] {
  return [{ part: "webhook", body: n }];
}
