import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ethernet, udp4, writePcap } from "../../../packages/capture/test/_build.ts";
import { sipMessage } from "../../../packages/capture/test/_traffic.ts";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));

function sipcode(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A capture where calls finish in another order than they began: long@t is
 * answered at once and hung up after 20 s, while short@t (busy) and gone@t
 * (404) fail within two seconds; the tracker reports those two first.
 */
function capture(file: string): void {
  const enc = new TextEncoder();
  const t0 = 1_767_000_000_000_000;
  const steps: [number, string, string, string][] = [
    [0, "INVITE sip:+13105550100@b.example SIP/2.0", "long@t", "1 INVITE"],
    [50_000, "INVITE sip:+13105550101@b.example SIP/2.0", "short@t", "1 INVITE"],
    [100_000, "SIP/2.0 200 OK", "long@t", "1 INVITE"],
    [120_000, "ACK sip:+13105550100@b.example SIP/2.0", "long@t", "1 ACK"],
    [150_000, "INVITE sip:+13105550102@b.example SIP/2.0", "gone@t", "1 INVITE"],
    [1_000_000, "SIP/2.0 486 Busy Here", "short@t", "1 INVITE"],
    [1_010_000, "ACK sip:+13105550101@b.example SIP/2.0", "short@t", "1 ACK"],
    [2_000_000, "SIP/2.0 404 Not Found", "gone@t", "1 INVITE"],
    [2_010_000, "ACK sip:+13105550102@b.example SIP/2.0", "gone@t", "1 ACK"],
    [20_000_000, "BYE sip:+13105550100@b.example SIP/2.0", "long@t", "2 BYE"],
    [20_050_000, "SIP/2.0 200 OK", "long@t", "2 BYE"],
  ];
  const frames = steps.map(([at, line, callId, cseq]) => {
    const request = !line.startsWith("SIP/");
    const text = enc.encode(sipMessage(line, callId, cseq));
    const ip = request
      ? udp4("192.0.2.10", "198.51.100.7", 5060, 5060, text)
      : udp4("198.51.100.7", "192.0.2.10", 5060, 5060, text);
    return { time: t0 + at, data: ethernet(ip) };
  });
  writeFileSync(file, writePcap(frames, 1));
}

describe("sipcode explain --brief on a capture", () => {
  it("prints calls in the order they began, not the order they finished", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sipcode-order-")), "order.pcap");
    capture(file);
    const r = await sipcode(["explain", file, "--brief"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["c1", "c2", "c3"]);
    expect(lines[0]).toMatch(/200 OK/);
    expect(lines[1]).toMatch(/486 Busy Here/);
    expect(lines[2]).toMatch(/404 Not Found/);
    // The same order as --json, which holds every call before printing.
    const json = JSON.parse((await sipcode(["explain", file, "--json"])).stdout) as {
      calls: { id: string; callId: string }[];
    };
    expect(json.calls.map((c) => c.callId)).toEqual(["long@t", "short@t", "gone@t"]);
  });
});
