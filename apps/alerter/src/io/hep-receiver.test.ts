import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HepConfig } from "../config-hep.ts";
import { startHepReceiver } from "./hep-receiver.ts";

const config = (udpReceiveBufferBytes: number) =>
  HepConfig.parse({
    enabled: true,
    host: "127.0.0.1",
    udpPort: 0,
    tcpPort: null,
    allowFrom: ["127.0.0.1"],
    udpReceiveBufferBytes,
  });

async function warningsFor(bytes: number) {
  const warnings: Record<string, unknown>[] = [];
  const r = await startHepReceiver({
    config: config(bytes),
    onEvents: () => {},
    onError: (message, error) => {
      throw new Error(`${message}: ${String(error)}`);
    },
    onWarning: (_message, detail) => warnings.push(detail),
  });
  await r.close();
  return warnings;
}

describe("the HEP UDP receive buffer", () => {
  it("warns when the kernel grants less than hep.udpReceiveBufferBytes, and not otherwise", async () => {
    const cap = Number(readFileSync("/proc/sys/net/core/rmem_max", "utf8"));
    const big = 1 << 30;
    expect(cap).toBeLessThan(big);
    const w = await warningsFor(big);
    expect(w).toEqual([{ asked: big, granted: cap }]);
    expect(await warningsFor(Math.min(cap, 65_536))).toEqual([]);
  });
});
