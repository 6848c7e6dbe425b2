import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { hep2, hep3, sip } from "./_hep.ts";
import { startTestAlerter, T0, tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWORD = "hep-agent-password";

async function start(extra: Record<string, unknown> = {}) {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const { alerter } = await startTestAlerter(tmp.dir, {
    evaluation: { clock: "event" },
    hep: {
      enabled: true,
      host: "127.0.0.1",
      udpPort: 0,
      tcpPort: 0,
      agents: [{ id: 7, password: PASSWORD }],
      rules: [{ set: { trunk: { header: "X-Trunk" }, direction: "outbound" } }],
      ...extra,
    },
  });
  cleanups.push(() => alerter.close());
  return alerter;
}

/** An INVITE and its final response; `authKey` null sends none. */
function pair(i: number, code: string, agentId = 7, authKey: string | null = PASSWORD) {
  const time = (T0 + i * 1000) * 1000;
  const base = { sport: 5060, dport: 5060, agentId, ...(authKey ? { authKey } : {}) };
  const callId = `call-${i}@test`;
  return [
    {
      ...base,
      src: "192.0.2.10",
      dst: "198.51.100.20",
      time,
      payload: sip(
        "INVITE sip:+15550100@carrier.example SIP/2.0",
        callId,
        "1 INVITE",
        `z9hG4bK${i}`,
        ["X-Trunk: carrier-a"],
      ),
    },
    {
      ...base,
      src: "198.51.100.20",
      dst: "192.0.2.10",
      time: time + 500_000,
      payload: sip(`SIP/2.0 ${code}`, callId, "1 INVITE", `z9hG4bK${i}`),
    },
  ];
}

describe("HEP ingest over real sockets", () => {
  it("counts one event per authenticated INVITE over UDP (HEPv3) and TCP, and refuses the rest", async () => {
    const alerter = await start();
    const udp = dgram.createSocket("udp4");
    cleanups.push(() => new Promise<void>((r) => udp.close(() => r())));
    const send = (b: Uint8Array) =>
      new Promise<void>((r) => udp.send(b, alerter.hep!.udpPort!, "127.0.0.1", () => r()));
    // 20 good calls, each INVITE sent twice (a retransmission); 5 with a wrong key; 5 without one.
    for (let i = 0; i < 20; i++) {
      const [inv, fin] = pair(i, i % 2 ? "603 MaxPeak Cost Exceeded" : "200 OK");
      await send(hep3(inv!));
      await send(hep3(inv!));
      await send(hep3(fin!));
    }
    for (let i = 20; i < 25; i++)
      for (const p of pair(i, "500 Oops", 7, "wrong-password")) await send(hep3(p));
    for (let i = 25; i < 30; i++) for (const p of pair(i, "500 Oops", 7, null)) await send(hep3(p));
    // Over TCP: 10 calls in one stream, split at odd places.
    const stream = Buffer.concat(
      Array.from({ length: 10 }, (_, k) =>
        pair(100 + k, "486 Busy Here").map((p) => Buffer.from(hep3(p))),
      ).flat(),
    );
    const sock = net.connect(alerter.hep!.tcpPort!, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    for (let at = 0; at < stream.length; at += 333) sock.write(stream.subarray(at, at + 333));
    sock.end();

    const events = await waitFor(async () => {
      const e = await alerter.store.eventsAfter(0, 1000);
      return e.length >= 30 ? e : undefined;
    }, "30 HEP events");
    await new Promise((r) => setTimeout(r, 200));
    const all = await alerter.store.eventsAfter(0, 1000);
    expect(all).toHaveLength(30);
    const byCode = (list: typeof events) => {
      const out: Record<number, number> = {};
      for (const e of list) out[e.code] = (out[e.code] ?? 0) + 1;
      return out;
    };
    expect(byCode(all)).toEqual({ 200: 10, 603: 10, 486: 10 });
    expect(new Set(all.map((e) => e.trunk))).toEqual(new Set(["carrier-a"]));
    expect(new Set(all.map((e) => e.direction))).toEqual(new Set(["outbound"]));
    const metrics = await (await fetch(`${alerter.url}/metrics`)).text();
    expect(metrics).toMatch(
      /sipcodes_alerter_hep_packets_total\{transport="udp",result="unauthorized"\} 20/,
    );
    expect(metrics).toMatch(/sipcodes_alerter_hep_packets_total\{transport="tcp",result="ok"\} 20/);
    expect(metrics).toMatch(/sipcodes_alerter_hep_transactions_total\{result="repeats"\} 20/);
    expect(metrics).toMatch(/sipcodes_alerter_events_total\{result="accepted",source="hep"\} 30/);
  });

  it("takes HEPv2 from an allowed source address without an auth key", async () => {
    const alerter = await start({ agents: [], allowFrom: ["127.0.0.0/8"] });
    const udp = dgram.createSocket("udp4");
    cleanups.push(() => new Promise<void>((r) => udp.close(() => r())));
    for (let i = 0; i < 5; i++)
      for (const p of pair(i, "503 Service Unavailable", 0, null))
        await new Promise<void>((r) =>
          udp.send(hep2(p), alerter.hep!.udpPort!, "127.0.0.1", () => r()),
        );
    const events = await waitFor(async () => {
      const e = await alerter.store.eventsAfter(0, 100);
      return e.length >= 5 ? e : undefined;
    }, "5 HEPv2 events");
    expect(events.map((e) => e.code)).toEqual([503, 503, 503, 503, 503]);
  });

  it("counts a 407 challenge and its retry as one call, and a 407 never retried once the wait ends", async () => {
    const alerter = await start({ challengeSeconds: 1 });
    const udp = dgram.createSocket("udp4");
    cleanups.push(() => new Promise<void>((r) => udp.close(() => r())));
    const send = (p: Parameters<typeof hep3>[0]) =>
      new Promise<void>((r) => udp.send(hep3(p), alerter.hep!.udpPort!, "127.0.0.1", () => r()));
    const at = (i: number, ms: number) => ({
      sport: 5060,
      dport: 5060,
      agentId: 7,
      authKey: PASSWORD,
      time: (T0 + i * 1000 + ms) * 1000,
    });
    const out = { src: "192.0.2.10", dst: "198.51.100.20" };
    const back = { src: "198.51.100.20", dst: "192.0.2.10" };
    const challenge = "407 Proxy Authentication Required";
    for (let i = 0; i < 4; i++) {
      const callId = `auth-${i}@test`;
      const invite = (cseq: number, branch: string, extra: string[] = []) =>
        sip("INVITE sip:+15550100@carrier.example SIP/2.0", callId, `${cseq} INVITE`, branch, [
          "X-Trunk: carrier-a",
          ...extra,
        ]);
      await send({ ...at(i, 0), ...out, payload: invite(1, `z9hG4bKa${i}`) });
      await send({
        ...at(i, 20),
        ...back,
        payload: sip(`SIP/2.0 ${challenge}`, callId, "1 INVITE", `z9hG4bKa${i}`),
      });
      if (i === 3) continue; // this caller gives up
      await send({
        ...at(i, 60),
        ...out,
        payload: invite(2, `z9hG4bKb${i}`, ['Proxy-Authorization: Digest username="pbx"']),
      });
      await send({
        ...at(i, 900),
        ...back,
        payload: sip(
          `SIP/2.0 ${i === 0 ? "603 Decline" : "200 OK"}`,
          callId,
          "2 INVITE",
          `z9hG4bKb${i}`,
        ),
      });
    }
    const events = await waitFor(async () => {
      const e = await alerter.store.eventsAfter(0, 100);
      return e.length >= 4 ? e : undefined;
    }, "4 calls from 7 INVITE transactions");
    await new Promise((r) => setTimeout(r, 300));
    const all = await alerter.store.eventsAfter(0, 100);
    expect(all.map((e) => [e.id, e.code]).sort()).toEqual([
      ["hep:auth-0@test:2", 603],
      ["hep:auth-1@test:2", 200],
      ["hep:auth-2@test:2", 200],
      ["hep:auth-3@test:1", 407],
    ]);
    expect(events.find((e) => e.code === 407)?.phrase).toBe("Proxy Authentication Required");
    const metrics = await (await fetch(`${alerter.url}/metrics`)).text();
    expect(metrics).toMatch(/sipcodes_alerter_hep_transactions_total\{result="challenges"\} 3/);
  });

  it("refuses to start HEP with nothing to authenticate it", async () => {
    await expect(start({ agents: [] })).rejects.toThrow(
      /hep\.agents: HEP is enabled but nothing authenticates it/,
    );
  });
});
