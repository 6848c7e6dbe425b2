import type { Explanation } from "@sipcodes/core";
import type { AlertPayload, NotificationPayload } from "./notification.ts";
import { pct, scopeText } from "./notification.ts";

/** One HTTP body to post to a destination (PagerDuty gets one per alert). */
export interface RenderedMessage {
  /** Distinguishes several messages of one notification (the PagerDuty dedup key). */
  part: string;
  /**
   * The ordered stream the message belongs to at its destination: messages of
   * one stream are delivered one at a time, oldest first (a resolve never
   * overtakes its trigger). PagerDuty: one stream per dedup key; the others:
   * one per group.
   */
  stream: string;
  /**
   * The state the message announces. A newer message of the same stream and
   * state makes an undelivered older one redundant (it is superseded).
   */
  state: "firing" | "resolved";
  body: unknown;
}

const groupStream = (n: NotificationPayload) => `group:${n.groupKey}`;

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
  if (n.incident) {
    const inc = n.incident;
    const firing = n.alerts.filter((a) => a.status === "firing").length;
    const where = scopeText(inc.root.scope);
    const head = n.status === "firing" ? `[FIRING:${firing}]` : "[RESOLVED]";
    return `${head} ${inc.codes.join("/")} ${inc.rules.join(", ")} on ${where}`;
  }
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
    `Wilson ≥ ${pct(x.wilsonLower)} · baseline ${pct(x.baseline)} · threshold ${pct(x.threshold)}` +
    `${x.changeMinutes ? ` · log-likelihood ${(x.llr ?? 0).toFixed(1)} over ${x.changeMinutes} min` : ""} · since ${a.since}`
  );
}

function contributorsLine(a: AlertPayload): string {
  return a.contributors.map((c) => `${c.kind} ${c.key} (${c.count})`).join(", ");
}

/** The Block Kit message of a notification: `text` is the notification fallback. */
function slackContent(n: NotificationPayload): { text: string; blocks: unknown[] } {
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
  return { text: escapeSlack(title(n)), blocks };
}

/** Slack incoming webhook, Block Kit: one new message per notice (a webhook cannot edit one). */
export function renderSlack(n: NotificationPayload): RenderedMessage[] {
  return [{ part: "slack", stream: groupStream(n), state: n.status, body: slackContent(n) }];
}

/**
 * What the Slack Web API destination sends for a notice: the whole message
 * (posted first, then edited in place by each later notice of the stream)
 * and `reply`, the one line its thread gets for this change of state.
 */
export interface SlackApiBody {
  text: string;
  blocks: unknown[];
  reply: string;
}

const REPLY_HEAD = {
  new: ":red_circle: Firing",
  update: ":large_orange_circle: Changed",
  repeat: ":red_circle: Still firing",
} as const;

/** Slack Web API (bot token): the message and its thread reply. */
export function renderSlackApi(n: NotificationPayload): RenderedMessage[] {
  const summary = n.incident?.summary ?? n.alerts[0]?.summary ?? title(n);
  const head = n.status === "resolved" ? ":large_green_circle: Resolved" : REPLY_HEAD[n.reason];
  const body: SlackApiBody = {
    ...slackContent(n),
    reply: clip(`*${head}* ${escapeSlack(summary)}`, 3000),
  };
  return [{ part: "slack-api", stream: groupStream(n), state: n.status, body }];
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
      ...(x.changeMinutes
        ? [
            [
              "Sequential test",
              `log-likelihood ${(x.llr ?? 0).toFixed(1)} over ${x.changeMinutes} min`,
            ],
          ]
        : []),
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
      stream: groupStream(n),
      state: n.status,
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

/**
 * PagerDuty Events API v2. Grouping by incident: one trigger and one resolve
 * per incident, its id as `dedup_key`, the root's numbers and the affected
 * scopes in `custom_details`. Grouping by labels: one per alert episode, its
 * `episodeId` as `dedup_key` (an alert that re-fires within its cooldown
 * keeps its incident id, but a PagerDuty incident that was resolved is not
 * triggered again under its key: the new episode is a new incident).
 */
export function renderPagerDuty(n: NotificationPayload, routingKey: string): RenderedMessage[] {
  const inc = n.incident;
  if (inc) {
    const key = inc.id;
    const stream = `pd:${key}`;
    if (n.status === "resolved") {
      return [
        {
          part: `pd:${key}:resolve`,
          stream,
          state: "resolved",
          body: { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey(key) },
        },
      ];
    }
    const root = n.alerts.find((a) => a.role === "root") ?? n.alerts[0];
    const e = root?.explanations[0];
    return [
      {
        part: `pd:${key}:trigger`,
        stream,
        state: "firing",
        body: {
          routing_key: routingKey,
          event_action: "trigger",
          dedup_key: dedupKey(key),
          payload: {
            summary: clip(inc.summary, 1024),
            source: inc.root.scope.trunk ?? inc.root.scope.customer ?? "sipcodes-alerter",
            severity: inc.codes.includes(500) ? "critical" : "error",
            timestamp: n.time,
            component: inc.root.scope.trunk ?? "all-trunks",
            group: inc.rules.join(","),
            class: inc.codes.join("/"),
            custom_details: {
              root: inc.root.scope,
              rules: inc.rules,
              numbers: root?.numbers,
              since: root?.since,
              phrases: root?.phrases,
              contributors: root?.contributors,
              affected: n.alerts
                .filter((a) => a !== root)
                .slice(0, 50)
                .map((a) => ({
                  scope: a.scope.key,
                  rule: a.rule,
                  role: a.role,
                  status: a.status,
                  rate: a.numbers.rate,
                  ...(a.explainedBy ? { explainedBy: a.explainedBy } : {}),
                })),
              meaning: e?.summary,
              actions: actions(e),
              profile: n.profile,
            },
          },
        },
      },
    ];
  }
  return n.alerts.map((a) => {
    const key = a.episodeId;
    if (a.status === "resolved") {
      return {
        part: `pd:${key}:resolve`,
        stream: `pd:${key}`,
        state: "resolved",
        body: {
          routing_key: routingKey,
          event_action: "resolve",
          dedup_key: dedupKey(key),
        },
      };
    }
    const e = a.explanations[0];
    return {
      part: `pd:${key}:trigger`,
      stream: `pd:${key}`,
      state: "firing",
      body: {
        routing_key: routingKey,
        event_action: "trigger",
        dedup_key: dedupKey(key),
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
  return [{ part: "webhook", stream: groupStream(n), state: n.status, body: n }];
}
