import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

import { beforeAll, describe, expect, it } from "vitest";
import { ethernet, udp4, writePcap } from "../../../packages/capture/test/_build.ts";
import { sipMessage } from "../../../packages/capture/test/_traffic.ts";
import {
  CALLEES,
  type CapturedCalls,
  captureCalls,
  peersOrSkip,
} from "../../cli/test/_kamailio-calls.ts";
import { createApp } from "../src/app.ts";
import { CAPTURE_BODY_LIMIT } from "../src/calls.ts";
import { CallsResult } from "../src/schemas.ts";

const app = createApp();
const post = (body: string | Uint8Array, type: string, accept = "application/json", query = "") =>
  app.request(`/v1/explain${query}`, {
    method: "POST",
    body,
    headers: { "content-type": type, accept },
  });

const run = peersOrSkip(["tshark", "kamailio"]);

describe.skipIf(!run)("POST /v1/explain with a real capture or trace", () => {
  let cap: CapturedCalls;
  let pcap: Uint8Array;
  beforeAll(async () => {
    cap = await captureCalls();
    pcap = new Uint8Array(readFileSync(cap.pcap));
  }, 120_000);

  it("answers a pcap body with its calls, valid against the CallsResult schema", async () => {
    for (const type of ["application/vnd.tcpdump.pcap", "application/octet-stream"]) {
      const r = await post(pcap, type);
      expect(r.status).toBe(200);
      const body = CallsResult.parse(await r.json());
      expect(body.format).toBe("pcap");
      const blocked = body.calls.find((c) => c.to === CALLEES.blocked);
      expect(blocked?.final?.code).toBe(603);
      expect(blocked?.why).toMatch(/redress: https:\/\/redress\.example\.net/);
      expect(body.calls.map((c) => c.outcome).sort()).toEqual(
        ["answered", "busy", "cancelled", "no-response", "rejected"].sort(),
      );
    }
  });

  it("answers tshark -T json text with the same calls as the capture", async () => {
    const json = execFileSync("tshark", ["-r", cap.pcap, "-Y", "sip", "-T", "json"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const fromText = CallsResult.parse(await (await post(json, "text/plain")).json());
    const fromPcap = CallsResult.parse(
      await (await post(pcap, "application/vnd.tcpdump.pcap")).json(),
    );
    const shape = (r: CallsResult) => r.calls.map((c) => [c.callId, c.final?.code, c.outcome]);
    expect(shape(fromText)).toEqual(shape(fromPcap));
  });

  it("renders the calls as text when asked", async () => {
    const r = await post(pcap, "application/vnd.tcpdump.pcap", "text/plain");
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/603 Network Blocked/);
  });

  it("says, as a problem, when a capture holds no SIP", async () => {
    const r = await post(pcap.slice(0, 24), "application/vnd.tcpdump.pcap");
    expect(r.status).toBe(422);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await r.json()) as { type: string }).type).toMatch(/no_sip_messages/);
  });
});

describe("POST /v1/explain with a binary body", () => {
  it("refuses bytes that are no capture with a 422 problem naming what they are", async () => {
    const r = await post(
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
      "application/octet-stream",
    );
    expect(r.status).toBe(422);
    const p = (await r.json()) as { type: string; detail: string };
    expect(p.type).toMatch(/not_a_capture/);
    expect(p.detail).toMatch(/gzip/);
  });

  it("answers every cut of a capture with a 4xx problem or its calls, never a 5xx", async () => {
    // A pcap of one answered INVITE, then each length of it up to the end of the second packet.
    const frames = [
      sipMessage("INVITE sip:+13105550100@gw.example SIP/2.0", "cut-1@test", "1 INVITE"),
      sipMessage("SIP/2.0 486 Busy Here", "cut-1@test", "1 INVITE"),
    ].map((text, i) => ({
      time: 1_767_000_000_000_000 + i * 100_000,
      data: ethernet(
        udp4("192.0.2.10", "198.51.100.7", 5060, 5060, new TextEncoder().encode(text)),
      ),
    }));
    const whole = writePcap(frames, 1);
    const seen = new Map<number, string>();
    for (let length = 1; length <= whole.length; length++) {
      const r = await post(whole.slice(0, length), "application/vnd.tcpdump.pcap");
      expect(r.status, `${length} bytes`).toBeLessThan(500);
      if (r.status !== 200) {
        const p = (await r.json()) as { code: string };
        seen.set(r.status, p.code);
      } else await r.arrayBuffer();
    }
    // The header cut short is its own problem: the capture cannot be read at all.
    const short = await post(whole.slice(0, 10), "application/vnd.tcpdump.pcap");
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ code: "truncated_capture" });
    expect([...seen.values()]).toContain("no_sip_messages");
  });

  it("refuses a capture over the documented limit with 413", async () => {
    const r = await app.request("/v1/explain", {
      method: "POST",
      body: new Uint8Array(16),
      headers: {
        "content-type": "application/vnd.tcpdump.pcap",
        "content-length": String(CAPTURE_BODY_LIMIT + 1),
      },
    });
    expect(r.status).toBe(413);
  });

  it("still explains a single pasted response as one explanation", async () => {
    const r = await post(
      "SIP/2.0 486 Busy Here\r\nCall-ID: a@b\r\nCSeq: 1 INVITE\r\n\r\n",
      "text/plain",
    );
    expect(r.status).toBe(200);
    expect(((await r.json()) as { code: number }).code).toBe(486);
  });
});
