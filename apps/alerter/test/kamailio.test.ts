import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alerter } from "../src/alerter.ts";
import type { NotificationPayload } from "../src/domain/notification.ts";
import {
  MINUTE,
  Receiver,
  sendEvents,
  startTestAlerter,
  tempDir,
  verifyWebhook,
  WEBHOOK_SECRET,
  waitFor,
} from "./helpers.ts";

/*
 * A real Kamailio runs docs/kamailio.cfg (the documented recipe) with both
 * feeds on: siptrace mirrors every SIP message as HEPv3 to one alerter's HEP
 * listener, and the onreply route posts one JSON event per final response to
 * a second alerter's POST /v1/events (mqueue + rtimer + http_client, bearer
 * token). Kamailio proxies each INVITE to a second socket of its own that
 * answers by the called number. Our UDP user agent sends a few hundred
 * INVITEs and ACKs every final response; we then compare what each alerter
 * counted with what the caller saw, by code and phrase, and check that the
 * 603 spike fires exactly one signed alert from each.
 */
function has(bin: string, args: string[]): boolean {
  try {
    execFileSync(bin, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const run = has("kamailio", ["-v"]);
if (!run) {
  const note =
    "kamailio not on PATH: the Kamailio recipe test needs apt-get install kamailio kamailio-extra-modules kamailio-utils-modules";
  if (process.env.CI) throw new Error(note);
  console.warn(`${note}; skipping`);
}

const CFG = join(import.meta.dirname, "../docs/kamailio.cfg");
const HEP_ID = 4242;
const HEP_KEY = "kamailio-hep-password";
const TOKEN = "kamailio-ingest-token-0123456789";

/** Called number → what the test carrier answers (docs/kamailio.cfg, route TEST_UAS). */
const MIX: { number: string; count: number; final: string }[] = [
  { number: "15550200", count: 130, final: "200 OK" },
  { number: "15550500", count: 30, final: "500 Server Internal Error" },
  { number: "15550601", count: 60, final: "603 MaxPeak Cost Exceeded" },
  { number: "15550603", count: 30, final: "603 Decline" },
  { number: "15550486", count: 30, final: "486 Busy Here" },
  // tm relays the carrier's 503 as 500, phrase kept (RFC 3261 16.7): the caller sees 500.
  { number: "15550503", count: 20, final: "500 Service Unavailable" },
];
const TOTAL = MIX.reduce((n, m) => n + m.count, 0);

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const detector = {
  minBaselineCalls: 0,
  priorCalls: 0,
  rules: [
    {
      id: "sip-603",
      codes: [603],
      windows: [1],
      minCalls: 20,
      minCount: 5,
      fireAfter: 1,
      scopes: ["trunk" as const],
    },
  ],
};

/** A small UDP user agent: INVITE, retransmit after 500 ms (3 tries), ACK every final. */
class Caller {
  readonly finals = new Map<string, string>();
  private readonly socket = dgram.createSocket("udp4");
  private waiters = new Map<string, () => void>();
  port = 0;

  constructor(private readonly proxyPort: number) {}

  async start(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, "127.0.0.1", () => r()));
    this.port = this.socket.address().port;
    this.socket.on("message", (m) => this.onMessage(m.toString("utf8")));
  }

  private onMessage(text: string): void {
    const status = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text);
    const callId = /\r\nCall-ID: ([^\r\n]+)/i.exec(text)?.[1];
    if (!status || !callId || Number(status[1]) < 200) return;
    const branch = /;branch=([^;\r\n,]+)/.exec(text)?.[1] ?? "";
    const to = /\r\nTo: ([^\r\n]+)/i.exec(text)?.[1] ?? "";
    const code = Number(status[1]);
    // ACK every final (retransmissions too): a non-2xx in the INVITE's branch, a 2xx in a new one.
    const ackBranch = code < 300 ? `${branch}-ack` : branch;
    const ruri = /^sip:[^>]+/.exec(to.replace(/^<|>.*$/g, ""))?.[0] ?? "sip:x@127.0.0.1";
    this.send(this.message(`ACK ${ruri} SIP/2.0`, callId, "1 ACK", ackBranch, to));
    if (!this.finals.has(callId)) this.finals.set(callId, `${status[1]} ${status[2]}`);
    this.waiters.get(callId)?.();
  }

  private message(start: string, callId: string, cseq: string, branch: string, to: string): string {
    return [
      start,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`,
      "Max-Forwards: 70",
      "From: <sip:alice@pbx.acme.example>;tag=caller",
      `To: ${to}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq}`,
      `Contact: <sip:alice@127.0.0.1:${this.port}>`,
      "X-Trunk: carrier-a",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
  }

  private send(text: string): void {
    this.socket.send(text, this.proxyPort, "127.0.0.1");
  }

  async call(number: string, callId: string): Promise<void> {
    const ruri = `sip:${number}@127.0.0.1:${this.proxyPort}`;
    const invite = this.message(
      `INVITE ${ruri} SIP/2.0`,
      callId,
      "1 INVITE",
      `z9hG4bK-${callId}`,
      `<${ruri}>`,
    );
    for (let attempt = 0; attempt < 3 && !this.finals.has(callId); attempt++) {
      const answered = new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        this.waiters.set(callId, () => {
          clearTimeout(t);
          resolve();
        });
      });
      this.send(invite);
      await answered;
    }
    this.waiters.delete(callId);
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

describe.skipIf(!run)("the Kamailio recipe, against a real Kamailio", () => {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-kamailio-"));
  const cleanups: (() => Promise<void> | void)[] = [];
  let kamailio: ChildProcess | undefined;
  let log = "";
  let hepAlerter: Alerter;
  let httpAlerter: Alerter;
  let receiver: Receiver;
  let caller: Caller;
  let proxyPort = 0;

  beforeAll(async () => {
    receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const destinations = (name: string) => [
      { name, type: "webhook" as const, url: `${receiver.url}/${name}`, secret: WEBHOOK_SECRET },
    ];
    const common = {
      profile: "jola",
      evaluation: { clock: "event" as const },
      detector,
      security: { allowPrivateDestinations: ["127.0.0.1"] },
      delivery: { backoffBaseMs: 50, backoffMaxMs: 300 },
    };
    const t1 = tempDir();
    cleanups.push(t1.cleanup);
    proxyPort = await freeUdpPort();
    const uasPort = await freeUdpPort();
    const hepStarted = await startTestAlerter(t1.dir, {
      ...common,
      destinations: destinations("hep"),
      hep: {
        enabled: true,
        host: "127.0.0.1",
        udpPort: 0,
        tcpPort: null,
        agents: [{ id: HEP_ID, password: HEP_KEY }],
        rules: [
          {
            when: { dstPort: [proxyPort] },
            set: { direction: "outbound", trunk: { header: "X-Trunk" } },
          },
        ],
      },
    });
    hepAlerter = hepStarted.alerter;
    cleanups.push(() => hepAlerter.close());
    const t2 = tempDir();
    cleanups.push(t2.cleanup);
    const httpStarted = await startTestAlerter(t2.dir, {
      ...common,
      destinations: destinations("http"),
      ingest: { tokens: [TOKEN] },
    });
    httpAlerter = httpStarted.alerter;
    cleanups.push(() => httpAlerter.close());
    // The hour before: the trunk's baseline, ~1 % 603 (posted as JSON, the same in both).
    const now = Date.now();
    const from = Math.floor(now / MINUTE) * MINUTE - 62 * MINUTE;
    const history = Array.from({ length: 60 * 30 }, (_, i) => ({
      id: `hist-${i}`,
      time: from + Math.floor(i / 30) * MINUTE + (i % 30) * 2000,
      code: i % 90 === 0 ? 603 : 200,
      trunk: "carrier-a",
      direction: "outbound",
    }));
    await sendEvents(hepAlerter.url, hepStarted.secrets.ingestSecret, history);
    await sendEvents(httpAlerter.url, httpStarted.secrets.ingestSecret, history);

    const args = [
      "-f",
      CFG,
      "-DD",
      "-E",
      "-Y",
      dir,
      "-m",
      "64",
      "-M",
      "16",
      "-A",
      "WITH_HEP",
      "-A",
      "WITH_HTTP_EVENTS",
      "-A",
      "WITH_TEST_UAS",
      "-A",
      `PROXY_LISTEN=udp:127.0.0.1:${proxyPort}`,
      "-A",
      `UAS_LISTEN=udp:127.0.0.1:${uasPort}`,
      "-A",
      `UAS_PORT=${uasPort}`,
      "-A",
      `NEXT_HOP="sip:127.0.0.1:${uasPort}"`,
      "-A",
      `HEP_URI="sip:127.0.0.1:${hepAlerter.hep!.udpPort}"`,
      "-A",
      `HEP_CAPTURE_ID=${HEP_ID}`,
      "-A",
      `HEP_AUTH_KEY="${HEP_KEY}"`,
      "-A",
      `EVENTS_URL="${httpAlerter.url}/v1/events"`,
      "-A",
      `INGEST_TOKEN="${TOKEN}"`,
    ];
    kamailio = spawn("kamailio", args, { stdio: ["ignore", "ignore", "pipe"] });
    kamailio.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    cleanups.push(async () => {
      if (kamailio && kamailio.exitCode === null && kamailio.signalCode === null) {
        const exited = new Promise((r) => kamailio?.once("exit", r));
        kamailio.kill("SIGTERM");
        const killer = setTimeout(() => kamailio?.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(killer);
      }
    });
    caller = new Caller(proxyPort);
    await caller.start();
    cleanups.push(() => caller.close());
    // Ready when a probe call is answered.
    const deadline = Date.now() + 20_000;
    for (let i = 0; !caller.finals.has(`probe-${i - 1}`); i++) {
      if (Date.now() > deadline || kamailio.exitCode !== null)
        throw new Error(`kamailio did not answer:\n${log}`);
      await caller.call("15550999", `probe-${i}`);
    }
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("counts exactly what the caller saw on both paths, and fires one signed alert from each", async () => {
    const probes = caller.finals.size;
    // The mix interleaved (round robin over the numbers), 20 calls in flight at a time.
    const calls: { number: string; callId: string }[] = [];
    for (let i = 0; calls.length < TOTAL; i++)
      for (const m of MIX)
        if (i < m.count) calls.push({ number: m.number, callId: `k-${m.number}-${i}` });
    for (let i = 0; i < calls.length; i += 20)
      await Promise.all(calls.slice(i, i + 20).map((c) => caller.call(c.number, c.callId)));
    expect(caller.finals.size - probes).toBe(TOTAL);

    const saw = new Map<string, number>();
    for (const [callId, final] of caller.finals)
      if (callId.startsWith("k-")) saw.set(final, (saw.get(final) ?? 0) + 1);
    expect(Object.fromEntries(saw)).toEqual(Object.fromEntries(MIX.map((m) => [m.final, m.count])));

    const countedCodes = async (a: Alerter) => {
      const events = (await a.store.eventsAfter(0, 10_000)).filter((e) => e.id.includes("k-"));
      // By code and phrase, as the caller's status lines read.
      const out = new Map<string, number>();
      for (const e of events) {
        const key = `${e.code} ${e.phrase}`;
        out.set(key, (out.get(key) ?? 0) + 1);
      }
      return { events, out };
    };
    for (const [name, a] of [
      ["HEP", hepAlerter],
      ["HTTP", httpAlerter],
    ] as const) {
      await waitFor(
        async () => (await countedCodes(a)).events.length >= TOTAL,
        `every call counted on the ${name} path`,
        30_000,
      ).catch(async (error: Error) => {
        const n = (await countedCodes(a)).events.length;
        throw new Error(`${error.message}: ${n} of ${TOTAL}; kamailio log:\n${log.slice(-3000)}`);
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const a of [hepAlerter, httpAlerter]) {
      const { events, out } = await countedCodes(a);
      expect(events).toHaveLength(TOTAL);
      expect(Object.fromEntries(out)).toEqual(Object.fromEntries(saw));
      // The Reason header of the 603 Decline came through too.
      const declines = events.filter((e) => e.phrase === "Decline");
      expect(new Set(declines.map((e) => e.reason))).toEqual(
        new Set(['Q.850;cause=21;text="Call Rejected"']),
      );
      expect(new Set(events.map((e) => e.trunk))).toEqual(new Set(["carrier-a"]));
    }

    // Advance both event clocks past the minute the calls fell in: the 603 spike fires.
    const last = Math.max(...(await hepAlerter.store.eventsAfter(0, 10_000)).map((e) => e.time));
    const next = Math.floor(last / MINUTE) * MINUTE + MINUTE;
    for (const a of [hepAlerter, httpAlerter]) await a.engine.evaluate(next + 1000);
    const firing = await waitFor(
      () =>
        receiver.deliveredById().size >= 2 ? [...receiver.deliveredById().values()] : undefined,
      "two firing alerts",
    );
    await new Promise((r) => setTimeout(r, 500));
    // One notice from each alerter (their webhook ids differ by destination), none repeated.
    expect(receiver.deliveredById().size).toBe(2);
    expect(receiver.requests).toHaveLength(2);
    for (const [r] of firing) {
      const alert = verifyWebhook(r!) as NotificationPayload;
      expect(alert.status).toBe("firing");
      expect(alert.alerts.map((x) => [x.rule, x.scope.kind, x.scope.trunk])).toEqual([
        ["sip-603", "trunk", "carrier-a"],
      ]);
      expect(alert.alerts[0]!.explanations[0]!.profilePhrase).toBe("MaxPeak Cost Exceeded");
    }
  }, 120_000);
});
