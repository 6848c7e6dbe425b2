import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { request } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alerter } from "../src/alerter.ts";
import { twilioSignature } from "../src/io/auth.ts";
import type { Secrets } from "../src/io/secrets.ts";
import { AllowList, checkDestination, isPrivateAddress } from "../src/io/ssrf.ts";
import { ndjson, Receiver, sendEvents, startTestAlerter, T0, tempDir, waitFor } from "./helpers.ts";

const TWILIO_TOKEN = "twilio-auth-token-for-tests";
const telnyx = generateKeyPairSync("ed25519");
const telnyxPublic = telnyx.publicKey
  .export({ format: "der", type: "spki" })
  .subarray(12)
  .toString("base64");

let alerter: Alerter;
let secrets: Secrets;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  ({ alerter, secrets } = await startTestAlerter(tmp.dir, {
    evaluation: { clock: "event" },
    ingest: { maxBodyBytes: 4096 },
    adapters: {
      twilio: { authToken: TWILIO_TOKEN, publicUrl: "https://alerts.example.com" },
      telnyx: { publicKey: telnyxPublic },
      freeswitch: { username: "fs", password: "freeswitch-password" },
    },
  }));
});
afterAll(async () => {
  await alerter.close();
  cleanup();
});

const event = (id: string) => ({ id, time: T0, code: 603, trunk: "T1", direction: "outbound" });

function signed(body: string, opts: { secret?: string; ageSeconds?: number } = {}) {
  const hook = new Webhook(opts.secret ?? secrets.ingestSecret);
  const at = new Date(Date.now() - (opts.ageSeconds ?? 0) * 1000);
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  return {
    "content-type": "application/x-ndjson",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": hook.sign(id, at, body),
  };
}

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${alerter.url}${path}`, { method: "POST", headers, body });

async function accepted(): Promise<number> {
  const text = await (await fetch(`${alerter.url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^sipcodes_alerter_events_total\{result="accepted"[^}]*\} (\d+)/gm))
    total += Number(m[1]);
  return total;
}

describe("ingest authentication", () => {
  it("refuses unsigned, badly signed and old requests with 401, counting nothing", async () => {
    const body = ndjson([event("sec-1")]);
    const before = await accepted();
    const unsigned = await post("/v1/events", body, { "content-type": "application/x-ndjson" });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("content-type")).toBe("application/problem+json");
    expect(await unsigned.json()).toMatchObject({
      type: "/problems/unauthorized",
      title: "Unauthorized",
      status: 401,
      code: "unauthorized",
    });
    const wrongKey = await post(
      "/v1/events",
      body,
      signed(body, { secret: `whsec_${Buffer.from("x".repeat(32)).toString("base64")}` }),
    );
    expect(wrongKey.status).toBe(401);
    const tampered = await post("/v1/events", ndjson([event("sec-2")]), signed(body));
    expect(tampered.status).toBe(401);
    const old = await post("/v1/events", body, signed(body, { ageSeconds: 6 * 60 }));
    expect(old.status).toBe(401);
    const badBearer = await post("/v1/events", body, {
      authorization: "Bearer not-the-token-at-all",
    });
    expect(badBearer.status).toBe(401);
    expect(await accepted()).toBe(before);
    const metrics = await (await fetch(`${alerter.url}/metrics`)).text();
    expect(metrics).toMatch(/sipcodes_alerter_unauthorized_requests_total\{source="events"\} 5/);

    // The same event, properly signed, is new: nothing of the refused requests was stored.
    const ok = await post("/v1/events", body, signed(body, { ageSeconds: 4 * 60 }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 1, duplicate: 0, ignored: 0, rejected: [] });
  });

  it("accepts the bearer token, a JSON array, and reports each bad line without losing the others", async () => {
    const body = `${JSON.stringify(event("line-1"))}\n{not json\n${JSON.stringify({ ...event("line-3"), code: 42 })}\n\n${JSON.stringify(event("line-1"))}\n${JSON.stringify(event("line-6"))}`;
    const res = await post("/v1/events", body, {
      authorization: `Bearer ${secrets.ingestToken}`,
      "content-type": "application/x-ndjson",
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as {
      accepted: number;
      duplicate: number;
      rejected: { line: number; message: string }[];
    };
    expect(json.accepted).toBe(2);
    expect(json.duplicate).toBe(1);
    expect(json.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(json.rejected[1]!.message).toMatch(/^code:/);

    const array = JSON.stringify([event("arr-1"), { id: "arr-2" }]);
    const res2 = await post("/v1/events", array, {
      authorization: `Bearer ${secrets.ingestToken}`,
      "content-type": "application/json",
    });
    const json2 = (await res2.json()) as { accepted: number; rejected: { line: number }[] };
    expect(json2.accepted).toBe(1);
    expect(json2.rejected.map((r) => r.line)).toEqual([2]);
  });

  it("answers 413 above the body limit", async () => {
    const body = ndjson(Array.from({ length: 100 }, (_, i) => event(`big-${i}`)));
    const res = await post("/v1/events", body, signed(body));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      type: "/problems/content_too_large",
      status: 413,
      code: "content_too_large",
      instance: "/v1/events",
    });
  });

  it("describes each problem type at its type URI, with the API's vocabulary", async () => {
    const res = await fetch(`${alerter.url}/problems/content_too_large`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      type: "/problems/content_too_large",
      code: "content_too_large",
      status: 413,
    });
    const unknown = await fetch(`${alerter.url}/problems/body_too_large`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect(await unknown.json()).toMatchObject({ code: "unknown_problem_type" });
  });

  it("checks Twilio's X-Twilio-Signature over the public URL and sorted params", async () => {
    const params = {
      CallSid: "CA0123456789abcdef0123456789abcdef",
      AccountSid: "AC0123456789abcdef0123456789abcdef",
      CallStatus: "failed",
      SipResponseCode: "603",
      Direction: "outbound-api",
      Timestamp: new Date(T0).toUTCString(),
    };
    const body = new URLSearchParams(params).toString();
    const url = "https://alerts.example.com/v1/adapters/twilio";
    const good = twilioSignature(TWILIO_TOKEN, url, params);
    // The signature is the documented algorithm, computed here independently.
    const independent = createHmac("sha1", TWILIO_TOKEN)
      .update(
        url +
          Object.keys(params)
            .sort()
            .map((k) => k + params[k as keyof typeof params])
            .join(""),
      )
      .digest("base64");
    expect(good).toBe(independent);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const bad = await post("/v1/adapters/twilio", body, {
      ...form,
      "x-twilio-signature": twilioSignature("wrong", url, params),
    });
    expect(bad.status).toBe(401);
    const missing = await post("/v1/adapters/twilio", body, form);
    expect(missing.status).toBe(401);
    const ok = await post("/v1/adapters/twilio", body, { ...form, "x-twilio-signature": good });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1, rejected: [] });
  });

  it("checks Telnyx's Ed25519 signature over timestamp|body", async () => {
    const body = JSON.stringify({
      data: {
        event_type: "call.hangup",
        id: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
        occurred_at: new Date(T0).toISOString(),
        payload: {
          connection_id: "7267xxxxxxxxxxxxxx",
          sip_hangup_cause: "500",
          hangup_cause: "normal_clearing",
          direction: "outgoing",
        },
      },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = (t: string, b: string) =>
      sign(null, Buffer.from(`${t}|${b}`), telnyx.privateKey).toString("base64");
    const json = { "content-type": "application/json" };
    const ok = await post("/v1/adapters/telnyx", body, {
      ...json,
      "telnyx-timestamp": ts,
      "telnyx-signature-ed25519": sig(ts, body),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1 });
    const tampered = await post("/v1/adapters/telnyx", body.replace("500", "503"), {
      ...json,
      "telnyx-timestamp": ts,
      "telnyx-signature-ed25519": sig(ts, body),
    });
    expect(tampered.status).toBe(401);
    const other = generateKeyPairSync("ed25519");
    const foreign = sign(null, Buffer.from(`${ts}|${body}`), other.privateKey).toString("base64");
    expect(
      (
        await post("/v1/adapters/telnyx", body, {
          ...json,
          "telnyx-timestamp": ts,
          "telnyx-signature-ed25519": foreign,
        })
      ).status,
    ).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect(
      (
        await post("/v1/adapters/telnyx", body, {
          ...json,
          "telnyx-timestamp": old,
          "telnyx-signature-ed25519": sig(old, body),
        })
      ).status,
    ).toBe(401);
  });

  it("takes FreeSWITCH mod_json_cdr posts with HTTP Basic credentials", async () => {
    const cdr = {
      "core-uuid": "1b9b1e0c-0000-4000-8000-000000000000",
      channel_data: { direction: "outbound", state: "CS_REPORTING" },
      variables: {
        uuid: "4a1c2f3e-0000-4000-8000-00000000a001",
        direction: "outbound",
        sip_gateway_name: "carrier-a",
        accountcode: "cust-42",
        hangup_cause: "CALL_REJECTED",
        sip_term_status: "603",
        end_epoch: String(T0 / 1000),
      },
    };
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
    const body = JSON.stringify(cdr);
    expect(
      (
        await post("/v1/adapters/freeswitch", body, {
          authorization: basic("fs", "wrong-password"),
        })
      ).status,
    ).toBe(401);
    expect((await post("/v1/adapters/freeswitch", body, {})).status).toBe(401);
    const ok = await post("/v1/adapters/freeswitch", body, {
      authorization: basic("fs", "freeswitch-password"),
      "content-type": "application/json",
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1 });
    // encode=true posts cdr=<url-encoded JSON>
    const encoded = `cdr=${encodeURIComponent(JSON.stringify({ ...cdr, variables: { ...cdr.variables, uuid: "second" } }))}`;
    const ok2 = await post("/v1/adapters/freeswitch", encoded, {
      authorization: basic("fs", "freeswitch-password"),
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(await ok2.json()).toMatchObject({ accepted: 1 });
  });

  it("protects the management API with its own token", async () => {
    expect((await fetch(`${alerter.url}/v1/alerts`)).status).toBe(401);
    const withIngest = await fetch(`${alerter.url}/v1/alerts`, {
      headers: { authorization: `Bearer ${secrets.ingestToken}` },
    });
    expect(withIngest.status).toBe(401);
    const ok = await fetch(`${alerter.url}/v1/alerts`, {
      headers: { authorization: `Bearer ${secrets.apiToken}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe("overload", () => {
  it("answers 503 with Retry-After while too many requests are in flight", async () => {
    const tmp = tempDir();
    const { alerter: a, secrets: s } = await startTestAlerter(tmp.dir, {
      evaluation: { clock: "event" },
      ingest: { maxInFlight: 1 },
    });
    try {
      // A request whose body is still arriving occupies the only slot.
      const slow = request(`${a.url}/v1/events`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${s.ingestToken}`,
          "content-type": "application/x-ndjson",
        },
      });
      const slowDone = new Promise<number>((resolve) =>
        slow.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }),
      );
      slow.write(`${JSON.stringify(event("slow-1"))}\n`);
      let n = 0;
      const busy = await waitFor(async () => {
        const res = await fetch(`${a.url}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.ingestToken}` },
          body: JSON.stringify(event(`fast-${n++}`)),
        });
        return res.status === 503 ? res : undefined;
      }, "a 503 while the slow request holds the slot");
      expect(busy.headers.get("retry-after")).toBe("1");
      expect(busy.headers.get("content-type")).toBe("application/problem+json");
      slow.end();
      expect(await slowDone).toBe(200);
    } finally {
      await a.close();
      tmp.cleanup();
    }
  });

  it("answers 429 with Retry-After above the configured event rate", async () => {
    const tmp = tempDir();
    const { alerter: a, secrets: s } = await startTestAlerter(tmp.dir, {
      evaluation: { clock: "event" },
      ingest: { maxEventsPerSecond: 10 },
    });
    try {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${a.url}/v1/events`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${s.ingestToken}`,
            "content-type": "application/x-ndjson",
          },
          body: ndjson(Array.from({ length: 10 }, (_, j) => event(`rate-${i}-${j}`))),
        });
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
      }
      expect(statuses[0]).toBe(200);
      expect(limited).toBeDefined();
      expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      await a.close();
      tmp.cleanup();
    }
  });
});

describe("SSRF protection", () => {
  const none = new AllowList([]);
  it.each([
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://0.0.0.0/",
    "http://100.64.0.1/",
    "http://localhost:9999/",
  ])("refuses %s", async (url) => {
    await expect(checkDestination(url, none)).rejects.toThrow(/private, loopback or link-local/);
  });

  it("allows public literal addresses, and private ones only when allow-listed", async () => {
    await expect(checkDestination("https://93.184.215.14/hook", none)).resolves.toBeUndefined();
    await expect(checkDestination("https://[2606:4700::1111]/", none)).resolves.toBeUndefined();
    const allow = new AllowList(["127.0.0.1", "10.0.0.0/8", "::1", "hooks.internal"]);
    await expect(checkDestination("http://127.0.0.1:8080/", allow)).resolves.toBeUndefined();
    await expect(checkDestination("http://10.9.9.9/", allow)).resolves.toBeUndefined();
    await expect(checkDestination("http://[::1]/", allow)).resolves.toBeUndefined();
    await expect(checkDestination("http://localhost/", allow)).resolves.toBeUndefined(); // resolves to 127.0.0.1 / ::1
    await expect(checkDestination("http://hooks.internal/", allow)).resolves.toBeUndefined();
    await expect(checkDestination("http://169.254.169.254/", allow)).rejects.toThrow();
    expect(isPrivateAddress("8.8.8.8")).toBe(false);
    expect(isPrivateAddress("64:ff9b::a00:1")).toBe(true);
  });

  it("never posts to a private destination that is not allow-listed: the message becomes a dead letter", async () => {
    const tmp = tempDir();
    const receiver = await Receiver.start();
    const { alerter: a, secrets: s } = await startTestAlerter(tmp.dir, {
      evaluation: { clock: "event" },
      detector: { rules: [{ id: "sip-603", codes: [603], scopes: ["trunk"] }] },
      destinations: [
        { name: "literal", type: "webhook", url: `${receiver.url}/a` },
        { name: "by-name", type: "slack", url: receiver.url.replace("127.0.0.1", "localhost") },
      ],
      delivery: { backoffBaseMs: 10 },
    });
    try {
      const { scenario } = await import("./helpers.ts");
      await sendEvents(a.url, s.ingestSecret, [...scenario.baseline(), ...scenario.spike()]);
      const dead = await waitFor(async () => {
        const list = await a.store.list("dead", 10);
        return list.length === 2 ? list : undefined;
      }, "two dead letters");
      for (const m of dead) expect(m.lastError).toMatch(/private, loopback or link-local/);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await a.close();
      await receiver.close();
      tmp.cleanup();
    }
  });
});
