import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call the fake Slack received, with what it answered. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  status: number;
  answer: Record<string, unknown>;
}

interface StoredMessage {
  channel: string;
  ts: string;
  text: unknown;
  blocks: unknown;
  threadTs?: string;
  edits: number;
}

/** An answer forced on a call (rate limit, outage) instead of the normal one. */
export type SlackOverride = { status: number; headers?: Record<string, string>; answer: object };

/**
 * A local stand-in for Slack's Web API, `chat.postMessage` and `chat.update`
 * only, with the request and response shapes of Slack's method reference:
 * a Bearer token in `Authorization`, a JSON body; HTTP 200 with
 * `{ok: true, channel, ts, message}` or `{ok: false, error}` (`not_authed`,
 * `invalid_auth`, `channel_not_found`, `no_text`, `thread_not_found`,
 * `message_not_found`); an unknown method is `unknown_method`.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Forces an answer on the call with this index (0-based, every call counted). */
  override: (method: string, index: number) => SlackOverride | undefined = () => undefined;
  private seq = 0;
  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly channels: ReadonlySet<string>,
  ) {}

  static async start(token: string, channels: string[]): Promise<FakeSlack> {
    const server = createServer();
    const slack = new FakeSlack(server, token, new Set(channels));
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const method = (req.url ?? "").replace(/^\/api\//, "");
        let args: Record<string, unknown> = {};
        let parsed = true;
        try {
          args = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          parsed = false;
        }
        const index = slack.calls.length;
        const forced = slack.override(method, index);
        const { status, headers, answer } = forced ?? {
          status: 200,
          headers: {},
          answer: slack.answer(
            method,
            String(req.headers.authorization ?? ""),
            String(req.headers["content-type"] ?? ""),
            parsed ? args : undefined,
          ),
        };
        slack.calls.push({
          method,
          args,
          at: Date.now(),
          status,
          answer: answer as Record<string, unknown>,
        });
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return slack;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  private answer(
    method: string,
    authorization: string,
    contentType: string,
    args: Record<string, unknown> | undefined,
  ): object {
    const fail = (error: string) => ({ ok: false, error });
    if (method !== "chat.postMessage" && method !== "chat.update") return fail("unknown_method");
    if (!authorization.startsWith("Bearer ")) return fail("not_authed");
    if (authorization.slice(7) !== this.token) return fail("invalid_auth");
    if (!contentType.startsWith("application/json") || !args) return fail("invalid_json");
    const channel = String(args.channel ?? "");
    if (!this.channels.has(channel)) return fail("channel_not_found");
    if (args.text === undefined && args.blocks === undefined) return fail("no_text");
    if (method === "chat.postMessage") {
      const threadTs = args.thread_ts === undefined ? undefined : String(args.thread_ts);
      if (threadTs !== undefined && !this.messages.has(`${channel}/${threadTs}`))
        return fail("thread_not_found");
      this.seq += 1;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, "0")}`;
      this.messages.set(`${channel}/${ts}`, {
        channel,
        ts,
        text: args.text,
        blocks: args.blocks,
        ...(threadTs ? { threadTs } : {}),
        edits: 0,
      });
      return {
        ok: true,
        channel,
        ts,
        message: {
          type: "message",
          text: args.text,
          ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
      };
    }
    const ts = String(args.ts ?? "");
    const stored = this.messages.get(`${channel}/${ts}`);
    if (!stored) return fail("message_not_found");
    stored.text = args.text;
    if (args.blocks !== undefined) stored.blocks = args.blocks;
    stored.edits += 1;
    return { ok: true, channel, ts, text: args.text, message: { text: args.text } };
  }

  /** The top-level messages (not thread replies). */
  topLevel(): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.threadTs === undefined);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
