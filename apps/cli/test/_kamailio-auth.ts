/*
 * Calls through a real Kamailio that asks for credentials: its script
 * challenges every INVITE that carries none (407 from pv_proxy_authenticate,
 * or 401 from pv_www_authenticate for callees whose number starts with 9),
 * and the acc module logs each INVITE and BYE transaction, failed ones too,
 * as Kamailio's default configuration does (log_flag, log_missed_flag,
 * failed_transaction_flag), to Kamailio's log on stderr. Our UDP client
 * answers challenges with an MD5 digest as RFC 2617 computes it, ACKs every
 * final response and hangs up answered calls; it keeps what each call ended
 * with, the truth the tests compare `sipcode stats` with.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeUdpPort, type KamailioPeer, sleep, startKamailio } from "./_kamailio-calls.ts";

export const PASSWORD = "open-sesame";
const USER = "alice";

function script(port: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=4
auto_aliases=no
listen=udp:127.0.0.1:${port}
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "cfgutils.so"
loadmodule "auth.so"
loadmodule "acc.so"
modparam("auth", "secret", "sipcodes-test-secret")
modparam("acc", "log_flag", 1)
modparam("acc", "log_missed_flag", 2)
modparam("acc", "failed_transaction_flag", 3)
request_route {
  if (is_method("ACK")) { t_check_trans(); exit; }
  if (is_method("BYE")) { setflag(1); t_newtran(); t_reply("200", "OK"); exit; }
  if (!is_method("INVITE")) { sl_send_reply("200", "OK"); exit; }
  setflag(1); setflag(2); setflag(3);
  t_newtran();
  if ($rU =~ "^9") {
    if (!pv_www_authenticate("$fd", "${PASSWORD}", "0")) { www_challenge("$fd", "0"); exit; }
  } else {
    if (!pv_proxy_authenticate("$fd", "${PASSWORD}", "0")) { proxy_challenge("$fd", "0"); exit; }
  }
  consume_credentials();
  usleep(100000);
  t_reply("180", "Ringing");
  usleep(200000);
  if ($rU =~ "486$") { t_reply("486", "Busy Here"); exit; }
  if ($rU =~ "603$") { t_reply("603", "Decline"); exit; }
  t_reply("200", "OK");
  exit;
}
`;
}

/** How the client places a call: which passwords its INVITEs carry after each challenge. */
export interface CallPlan {
  callee: string;
  /** One entry per retry; an empty list never answers the challenge. */
  passwords: string[];
  /** Seconds an answered call lasts before the client sends BYE. */
  hold?: number;
}

export interface PlacedCall {
  callId: string;
  plan: CallPlan;
  /** The final status code of each INVITE transaction, in order. */
  finals: number[];
}

export interface AuthRun {
  dir: string;
  /** Kamailio's log (stderr), holding its acc lines. */
  log: string;
  calls: PlacedCall[];
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** The digest a UAC sends for a challenge (RFC 2617 section 3.2.2; qop=auth when offered). */
export function digest(challenge: string, method: string, uri: string, password: string) {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1];
  const realm = param("realm") ?? "";
  const nonce = param("nonce") ?? "";
  const qop = param("qop")
    ?.split(/\s*,\s*/)
    .includes("auth")
    ? "auth"
    : undefined;
  const ha1 = md5(`${USER}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const cnonce = md5(String(Math.random())).slice(0, 16);
  const response = qop
    ? md5(`${ha1}:${nonce}:00000001:${cnonce}:${qop}:${ha2}`)
    : md5(`${ha1}:${nonce}:${ha2}`);
  return `Digest username="${USER}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=${qop}, nc=00000001, cnonce="${cnonce}"` : ""}`;
}

/** Starts Kamailio, places the calls (all at once, so their acc lines interleave), stops it. */
export async function placeAuthCalls(plans: CallPlan[]): Promise<AuthRun> {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-auth-"));
  const port = await freeUdpPort();
  writeFileSync(join(dir, "kamailio.cfg"), script(port));
  let peer: KamailioPeer | undefined;
  try {
    peer = await startKamailio(dir, port);
    const { me, inbox, send, log } = peer;
    const request = (
      method: string,
      callee: string,
      callId: string,
      cseq: number,
      branch: string,
      extra: string[] = [],
      toTag?: string,
    ) =>
      [
        `${method} sip:${callee}@127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport`,
        "Max-Forwards: 70",
        `From: <sip:${USER}@127.0.0.1>;tag=from-${callId}`,
        `To: <sip:${callee}@127.0.0.1>${toTag ? `;tag=${toTag}` : ""}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ${method === "ACK" ? "ACK" : method}`,
        `Contact: <sip:${USER}@127.0.0.1:${me}>`,
        ...extra,
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n");
    const final = async (callId: string, cseq: number, method = "INVITE") => {
      const deadline = Date.now() + 8000;
      for (;;) {
        const reply = inbox.find(
          (m) =>
            /^SIP\/2\.0 [2-6]\d\d /.test(m) &&
            m.includes(`\r\nCall-ID: ${callId}\r\n`) &&
            m.includes(`\r\nCSeq: ${cseq} ${method}\r\n`),
        );
        if (reply) return reply;
        if (Date.now() > deadline)
          throw new Error(`no final response to ${callId} ${cseq}\n${log()}`);
        await sleep(20);
      }
    };
    const toTag = (reply: string) => /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(reply)?.[1];
    // Ready when it answers an OPTIONS.
    await peer.ready((i) => request("OPTIONS", "ping", `probe-${i}`, 1, `z9hG4bK-probe-${i}`));
    const place = async (plan: CallPlan, n: number): Promise<PlacedCall> => {
      const callId = `auth-${n}-${plan.callee}@test`;
      const uri = `sip:${plan.callee}@127.0.0.1:${port}`;
      const finals: number[] = [];
      let extra: string[] = [];
      for (let attempt = 0; ; attempt++) {
        const cseq = attempt + 1;
        const branch = `z9hG4bK-${callId}-${cseq}`;
        await send(request("INVITE", plan.callee, callId, cseq, branch, extra));
        const reply = await final(callId, cseq);
        const code = Number(reply.slice(8, 11));
        finals.push(code);
        // The ACK of a 2xx is a request of its own (new branch); of a failure, part of the transaction.
        await send(
          request(
            "ACK",
            plan.callee,
            callId,
            cseq,
            code < 300 ? `${branch}-ack` : branch,
            [],
            toTag(reply),
          ),
        );
        if (code < 300) {
          await sleep((plan.hold ?? 1) * 1000);
          await send(
            request("BYE", plan.callee, callId, cseq + 1, `${branch}-bye`, [], toTag(reply)),
          );
          await final(callId, cseq + 1, "BYE");
          break;
        }
        const password = plan.passwords[attempt];
        if ((code !== 401 && code !== 407) || password === undefined) break;
        const header = code === 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        const challenge = new RegExp(`\\r\\n${header}: ([^\\r]+)`).exec(reply)?.[1] ?? "";
        extra = [
          `${code === 401 ? "Authorization" : "Proxy-Authorization"}: ${digest(challenge, "INVITE", uri, password)}`,
        ];
      }
      return { callId, plan, finals };
    };
    const calls = await Promise.all(plans.map((plan, n) => place(plan, n)));
    await sleep(300);
    return { dir, log: log(), calls };
  } finally {
    await peer?.close();
  }
}
