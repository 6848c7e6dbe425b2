import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { type Alerter, startAlerter } from "../src/alerter.ts";
import { type AlerterConfigInput, parseConfig } from "../src/config.ts";
import { loadSecrets, type Secrets } from "../src/io/secrets.ts";

export const WEBHOOK_SECRET = `whsec_${Buffer.from("a-test-secret-of-32-bytes-length").toString("base64")}`;

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "alerter-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a truthy value. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered (undefined while held or when the client went away). */
  status?: number;
  at: number;
  /** The sender's TCP port (which process sent it). */
  port?: number | undefined;
}

/** What the receiver does with a request: answer a status, or hold it without answering. */
export type Behaviour = { status: number; headers?: Record<string, string> } | "hold";

/** A real webhook receiver on 127.0.0.1 that records every request. */
export class Receiver {
  readonly requests: Received[] = [];
  behave: (req: Received, index: number) => Behaviour = () => ({ status: 200 });
  private readonly held: ServerResponse[] = [];
  private constructor(readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const r = new Receiver(server);
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rec: Received = {
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          at: Date.now(),
          port: req.socket.remotePort,
        };
        const index = r.requests.push(rec) - 1;
        const b = r.behave(rec, index);
        if (b === "hold") {
          r.held.push(res);
          return;
        }
        rec.status = b.status;
        res.writeHead(b.status, b.headers ?? {});
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return r;
  }

  private port = 0;

  get url(): string {
    if (this.server.listening) this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops listening (connections are refused) but keeps the port for `resume`. */
  async pause(): Promise<void> {
    void this.url; // remember the port
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
  }

  /** Requests answered 2xx, one per webhook-id as a deduplicating receiver would keep them. */
  deliveredById(): Map<string, Received[]> {
    const map = new Map<string, Received[]>();
    for (const r of this.requests) {
      if (r.status === undefined || r.status >= 300) continue;
      const id = String(r.headers["webhook-id"] ?? "");
      map.set(id, [...(map.get(id) ?? []), r]);
    }
    return map;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function verifyWebhook(r: Received, secret = WEBHOOK_SECRET): unknown {
  return new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  });
}

export const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export async function startTestAlerter(
  dir: string,
  config: AlerterConfigInput,
): Promise<{ alerter: Alerter; secrets: Secrets }> {
  const alerter = await startAlerter({
    config: parseConfig(config),
    dataDir: dir,
    logger: quietLogger(),
    port: 0,
    host: "127.0.0.1",
  });
  return { alerter, secrets: loadSecrets(dir).secrets };
}

// ------------------------------------------------------------------- events

export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
export const MINUTE = 60_000;

export interface EventSpec {
  id: string;
  time: number;
  code: number;
  trunk?: string;
  direction?: "inbound" | "outbound";
  customer?: string;
}

/**
 * Minute-by-minute traffic: `perMinute` calls each minute of [from, to), of
 * which every `1/rate`-th gets `code` (spread evenly), the rest 200.
 */
export function traffic(opts: {
  from: number;
  to: number;
  perMinute: number;
  rate: number;
  code?: number;
  trunk?: string;
  direction?: "inbound" | "outbound";
  prefix?: string;
}): EventSpec[] {
  const out: EventSpec[] = [];
  const code = opts.code ?? 603;
  let owed = 0;
  for (let m = opts.from; m < opts.to; m++) {
    for (let i = 0; i < opts.perMinute; i++) {
      owed += opts.rate;
      const bad = owed >= 1;
      if (bad) owed -= 1;
      out.push({
        id: `${opts.prefix ?? "e"}-${m}-${i}`,
        time: T0 + m * MINUTE + Math.floor((i * MINUTE) / opts.perMinute),
        code: bad ? code : 200,
        trunk: opts.trunk ?? "T1",
        direction: opts.direction ?? "outbound",
      });
    }
  }
  return out;
}

export const ndjson = (events: readonly object[]) =>
  events.map((e) => JSON.stringify(e)).join("\n");

/** Posts events signed with Standard Webhooks, in NDJSON batches. */
export async function sendEvents(
  url: string,
  secret: string,
  events: readonly object[],
  batch = 1000,
): Promise<{ accepted: number; duplicate: number }> {
  const hook = new Webhook(secret);
  let accepted = 0;
  let duplicate = 0;
  for (let i = 0; i < events.length; i += batch) {
    const body = ndjson(events.slice(i, i + batch));
    const id = `msg_${i}_${Math.random().toString(36).slice(2)}`;
    const now = new Date();
    const res = await fetch(`${url}/v1/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-ndjson",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": hook.sign(id, now, body),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const json = (await res.json()) as { accepted: number; duplicate: number };
    accepted += json.accepted;
    duplicate += json.duplicate;
  }
  return { accepted, duplicate };
}

/** The standard scenario: 3 h at ~1 % 603, 15 min at 50 %, then recovery. */
export const scenario = {
  baseline: () => traffic({ from: 0, to: 180, perMinute: 30, rate: 0.01, prefix: "base" }),
  spike: () => traffic({ from: 180, to: 195, perMinute: 30, rate: 0.5, prefix: "spike" }),
  recovery: () => traffic({ from: 195, to: 240, perMinute: 30, rate: 0.01, prefix: "recover" }),
};

export function e2eConfig(
  receiverUrl: string,
  extra: Partial<AlerterConfigInput> = {},
): AlerterConfigInput {
  return {
    profile: "jola",
    evaluation: { clock: "event", intervalSeconds: 60 },
    detector: { rules: [{ id: "sip-603", codes: [603], scopes: ["trunk"] }] },
    destinations: [
      { name: "hook", type: "webhook", url: `${receiverUrl}/alerts`, secret: WEBHOOK_SECRET },
    ],
    delivery: {
      backoffBaseMs: 50,
      backoffMaxMs: 300,
      timeoutMs: 2000,
      deadLetterAfterSeconds: 120,
    },
    security: { allowPrivateDestinations: ["127.0.0.1"] },
    ...extra,
  };
}
