/*
 * Real SIP calls on loopback, captured by tshark: a Kamailio (tm, sl) on a
 * free port answers our UDP client's INVITEs the way its script says, with
 * its own To tags, Server header, timers and final-response retransmissions;
 * tshark writes what went over the wire to a pcap. Tests then read the pcap
 * (and tshark's and ngrep's renderings of it) and compare.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function has(tool: string, arg = "--version"): boolean {
  try {
    execFileSync(tool, [arg], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** How each peer prints its version, where it is not `--version`. */
const VERSION_FLAG: Record<string, string> = {
  kamailio: "-v",
  ngrep: "-V",
  sngrep: "-V",
  tmux: "-V",
};

/** Whether the real-peer tests run: skipped with a note without the tools, a failure under CI. */
export function peersOrSkip(tools: string[]): boolean {
  const missing = tools.filter((t) => !has(t, VERSION_FLAG[t] ?? "--version"));
  if (!missing.length) return true;
  if (process.env.CI)
    throw new Error(`${missing.join(", ")} not on PATH but CI is set: .ci/run installs them`);
  console.warn(`${missing.join(", ")} not on PATH: skipping the tests that use real captures`);
  return false;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The numbers the script answers, and how. */
export const CALLEES = {
  blocked: "+13105550101",
  busy: "+13105550102",
  cancelled: "+13105550103",
  answered: "+13105550104",
  unanswered: "+13105550105",
} as const;
export const CALLER = "+12025550142";

function script(port: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=6
auto_aliases=no
listen=udp:127.0.0.1:${port}
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "cfgutils.so"
loadmodule "pv.so"
loadmodule "htable.so"
modparam("htable", "htable", "c=>size=8;autoexpire=60;")
request_route {
  if (is_method("ACK")) { t_check_trans(); exit; }
  if (is_method("CANCEL")) { $sht(c=>$ci) = 1; sl_send_reply("200", "OK"); exit; }
  if (is_method("BYE") || is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
  if ($rU == "${CALLEES.blocked}") {
    t_newtran(); usleep(150000); t_reply("183", "Session Progress"); usleep(250000);
    append_to_reply("Reason: SIP;cause=603;text=\\"Network Blocked\\"\\r\\nCall-Info: <https://redress.example.net/jcard.json>;purpose=jwscard\\r\\n");
    t_reply("603", "Network Blocked"); exit;
  }
  if ($rU == "${CALLEES.busy}") {
    t_newtran(); usleep(100000); t_reply("180", "Ringing"); usleep(900000);
    append_to_reply("Reason: Q.850;cause=17;text=\\"User busy\\"\\r\\n");
    t_reply("486", "Busy Here"); exit;
  }
  if ($rU == "${CALLEES.cancelled}") {
    t_newtran(); usleep(100000); t_reply("180", "Ringing");
    $var(i) = 0;
    while ($var(i) < 40) {
      usleep(100000);
      if ($sht(c=>$ci) == 1) { t_reply("487", "Request Terminated"); exit; }
      $var(i) = $var(i) + 1;
    }
    t_reply("480", "Temporarily Unavailable"); exit;
  }
  if ($rU == "${CALLEES.answered}") {
    t_newtran(); usleep(200000); t_reply("180", "Ringing"); usleep(600000);
    t_reply("200", "OK"); exit;
  }
  exit;
}
`;
}

export interface CapturedCalls {
  dir: string;
  pcap: string;
  /** Kamailio's port. */
  port: number;
}

/**
 * Starts Kamailio and tshark, places five calls (network-blocked, busy,
 * cancelled with a Reason, answered and hung up by the caller, unanswered and
 * retransmitted), and returns the pcap once both are stopped again.
 */
export async function captureCalls(): Promise<CapturedCalls> {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-calls-"));
  const port = await freeUdpPort();
  writeFileSync(join(dir, "kamailio.cfg"), script(port));
  const pcap = join(dir, "calls.pcap");
  let peer: KamailioPeer | undefined;
  let tshark: ChildProcess | undefined;
  try {
    peer = await startKamailio(dir, port);
    const { me, inbox: replies, send } = peer;
    const message = (
      method: string,
      user: string,
      callId: string,
      cseq: string,
      opts: { branch?: string; toTag?: string; extra?: string[]; body?: string } = {},
    ) => {
      const body = opts.body ?? "";
      return [
        `${method} sip:${user}@127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${opts.branch ?? `z9hG4bK-${callId}-${cseq.replace(" ", "")}`};rport`,
        "Max-Forwards: 70",
        `From: <sip:${CALLER}@127.0.0.1>;tag=caller-${callId}`,
        `To: <sip:${user}@127.0.0.1>${opts.toTag ? `;tag=${opts.toTag}` : ""}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq}`,
        `Contact: <sip:${CALLER}@127.0.0.1:${me}>`,
        "User-Agent: sipcodes-test-client",
        ...(opts.extra ?? []),
        ...(body ? ["Content-Type: application/sdp"] : []),
        `Content-Length: ${new TextEncoder().encode(body).length}`,
        "",
        body,
      ].join("\r\n");
    };
    // Ready when it answers an OPTIONS (sent before the capture starts).
    await peer.ready((i) => message("OPTIONS", "ping", `probe-${i}@test`, `${i + 1} OPTIONS`));
    tshark = spawn(
      "tshark",
      ["-i", "lo", "-f", `udp port ${port}`, "-w", pcap, "-F", "pcap", "-q"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let tlog = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tshark did not start: ${tlog}`)), 20_000);
      tshark?.stderr?.on("data", (d: Buffer) => {
        tlog += d.toString();
        if (tlog.includes("Capturing on")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await sleep(500);
    const sdp =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    const toTagOf = (callId: string, code: string) => {
      const r = replies.find(
        (x) => x.includes(`Call-ID: ${callId}`) && x.startsWith(`SIP/2.0 ${code}`),
      );
      return r ? /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(r)?.[1] : undefined;
    };
    const waitFor = async (callId: string, code: string, ms = 6000) => {
      for (let t = 0; t < ms && !toTagOf(callId, code); t += 50) await sleep(50);
      return toTagOf(callId, code);
    };
    const inviteAndAck = async (user: string, callId: string, code: string) => {
      await send(message("INVITE", user, callId, "1 INVITE", { body: sdp }));
      const tag = await waitFor(callId, code);
      await send(
        message("ACK", user, callId, "1 ACK", {
          branch: `z9hG4bK-${callId}-1INVITE`,
          ...(tag ? { toTag: tag } : {}),
        }),
      );
    };
    const blocked = inviteAndAck(CALLEES.blocked, "blocked-1@test", "603");
    const busy = inviteAndAck(CALLEES.busy, "busy-1@test", "486");
    const cancelled = (async () => {
      const id = "cancel-1@test";
      await send(message("INVITE", CALLEES.cancelled, id, "1 INVITE", { body: sdp }));
      await waitFor(id, "180");
      await sleep(1200);
      await send(
        message("CANCEL", CALLEES.cancelled, id, "1 CANCEL", {
          branch: `z9hG4bK-${id}-1INVITE`,
          extra: ['Reason: SIP;cause=200;text="Call completed elsewhere"'],
        }),
      );
      const tag = await waitFor(id, "487");
      await send(
        message("ACK", CALLEES.cancelled, id, "1 ACK", {
          branch: `z9hG4bK-${id}-1INVITE`,
          ...(tag ? { toTag: tag } : {}),
        }),
      );
    })();
    const answered = (async () => {
      const id = "answered-1@test";
      await send(message("INVITE", CALLEES.answered, id, "1 INVITE", { body: sdp }));
      const tag = await waitFor(id, "200");
      await send(
        message("ACK", CALLEES.answered, id, "1 ACK", {
          branch: `z9hG4bK-${id}-ack`,
          ...(tag ? { toTag: tag } : {}),
        }),
      );
      await sleep(1500);
      await send(
        message("BYE", CALLEES.answered, id, "2 BYE", {
          ...(tag ? { toTag: tag } : {}),
          extra: ['Reason: Q.850;cause=16;text="Normal call clearing"'],
        }),
      );
      await waitFor(id, "200", 2000);
    })();
    const unanswered = (async () => {
      const id = "silent-1@test";
      const invite = message("INVITE", CALLEES.unanswered, id, "1 INVITE", { body: sdp });
      await send(invite);
      await sleep(500);
      await send(invite);
      await sleep(1000);
      await send(invite);
    })();
    await Promise.all([blocked, busy, cancelled, answered, unanswered]);
    await sleep(800);
    return { dir, pcap, port };
  } finally {
    if (tshark && tshark.exitCode === null) {
      const exited = new Promise<void>((r) => tshark?.once("exit", () => r()));
      tshark.kill("SIGINT");
      const killer = setTimeout(() => tshark?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await peer?.close();
  }
}

/** A Kamailio this test started, and the loopback UDP client that talks to it. */
export interface KamailioPeer {
  kamailio: ChildProcess;
  /** The client's own port, for Via and Contact. */
  me: number;
  /** Every datagram the client received, in order. */
  inbox: string[];
  /** Sends one datagram to Kamailio. */
  send(text: string): Promise<void>;
  /** What Kamailio wrote on stderr so far. */
  log(): string;
  /** Sends `probe(i)` every 200 ms until Kamailio answers anything (20 s at most). */
  ready(probe: (i: number) => string): Promise<void>;
  /** Closes the client and stops Kamailio. */
  close(): Promise<void>;
}

/** Starts `kamailio -f <dir>/kamailio.cfg` on its script's `port`, with a UDP client bound beside it. */
export async function startKamailio(dir: string, port: number): Promise<KamailioPeer> {
  const kamailio = spawn(
    "kamailio",
    ["-f", join(dir, "kamailio.cfg"), "-DD", "-E", "-Y", dir, "-m", "32", "-M", "8"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  kamailio.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const client = dgram.createSocket("udp4");
  await new Promise<void>((r) => client.bind(0, "127.0.0.1", () => r()));
  const inbox: string[] = [];
  client.on("message", (m) => inbox.push(m.toString("utf8")));
  const send = (text: string) =>
    new Promise<void>((r, j) => client.send(text, port, "127.0.0.1", (e) => (e ? j(e) : r())));
  return {
    kamailio,
    me: client.address().port,
    inbox,
    send,
    log: () => log,
    async ready(probe) {
      const deadline = Date.now() + 20_000;
      for (let i = 0; !inbox.length; i++) {
        if (Date.now() > deadline || kamailio.exitCode !== null)
          throw new Error(`kamailio did not answer:\n${log}`);
        await send(probe(i));
        await sleep(200);
      }
    },
    async close() {
      client.close();
      await stopProcess(kamailio);
    },
  };
}

/** Stops a child this test started (SIGTERM, SIGKILL after 10 s) and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(killer);
}
