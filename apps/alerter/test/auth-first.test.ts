import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestAlerter, tempDir } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Sends the headers of a 7 MB POST and only its first kilobyte, then waits
 * for the status line: an alerter that reads the body before deciding would
 * never answer (it waits for the rest), one that checks credentials first
 * answers 401 at once.
 */
async function statusBeforeBody(port: number, path: string, headers: string[]): Promise<string> {
  const sock = net.connect(port, "127.0.0.1");
  cleanups.push(() => {
    sock.destroy();
  });
  await new Promise<void>((r) => sock.once("connect", () => r()));
  let got = "";
  const answered = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no answer before the body was sent")), 3000);
    sock.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      const line = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (line) {
        clearTimeout(t);
        resolve(line[1]!);
      }
    });
  });
  sock.write(
    [
      `POST ${path} HTTP/1.1`,
      "Host: 127.0.0.1",
      "Content-Length: 7000000",
      ...headers,
      "",
      "",
    ].join("\r\n"),
  );
  sock.write("x".repeat(1024));
  return answered;
}

describe("credentials are checked before the body is read", () => {
  it("answers 401 to an unauthenticated or stale-signed POST without waiting for its body", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { alerter } = await startTestAlerter(tmp.dir, {
      adapters: { telnyx: { publicKey: Buffer.alloc(32, 1).toString("base64") } },
    });
    cleanups.push(() => alerter.close());
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(
      await statusBeforeBody(alerter.port, "/v1/events", ["Content-Type: application/x-ndjson"]),
    ).toBe("401");
    expect(
      await statusBeforeBody(alerter.port, "/v1/events", [
        "Authorization: Bearer wrong-token-0123456789",
      ]),
    ).toBe("401");
    expect(
      await statusBeforeBody(alerter.port, "/v1/events", [
        "webhook-id: msg_1",
        `webhook-timestamp: ${old}`,
        "webhook-signature: v1,AAAA",
      ]),
    ).toBe("401");
    expect(
      await statusBeforeBody(alerter.port, "/v1/adapters/telnyx", [
        `telnyx-timestamp: ${old}`,
        "telnyx-signature-ed25519: AAAA",
      ]),
    ).toBe("401");
    expect(await statusBeforeBody(alerter.port, "/v1/adapters/freeswitch", [])).toBe("401");
  });
});
