import { Hono } from "hono";
import { fromFreeswitch, fromTelnyx, fromTwilio } from "../../domain/adapters.ts";
import type { AppDeps } from "../app.ts";
import {
  checkBasic,
  checkBearer,
  checkTelnyx,
  checkTwilio,
  signedHeadersPlausible,
} from "../auth.ts";
import { sendProblem } from "../problem.ts";
import { headersOf, type Intake } from "./_intake.ts";

/**
 * One route per provider, each checking that provider's own signature or
 * credentials before its adapter turns the callback into call events.
 */
export function providerRoutes(
  { config, telnyxKey }: AppDeps,
  intake: Intake,
  ingestTokens: readonly string[],
) {
  const app = new Hono();

  app.post("/v1/adapters/twilio", async (c) => {
    const twilio = config.adapters.twilio;
    if (!twilio) {
      return sendProblem(
        c,
        "adapter_disabled",
        "Set adapters.twilio.authToken in the config to enable the Twilio route.",
      );
    }
    if (!c.req.header("x-twilio-signature")) {
      return intake.unauthorized(c, "twilio", "X-Twilio-Signature is missing.");
    }
    const body = await c.req.text();
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const url = new URL(c.req.url);
    const signedUrl = twilio.publicUrl
      ? `${twilio.publicUrl.replace(/\/$/, "")}${url.pathname}${url.search}`
      : url.toString();
    if (!checkTwilio(twilio.authToken, signedUrl, params, c.req.header("x-twilio-signature"))) {
      return intake.unauthorized(
        c,
        "twilio",
        "X-Twilio-Signature does not match the URL and parameters (check adapters.twilio.publicUrl behind a proxy).",
      );
    }
    return intake.adapted(c, "twilio", [
      fromTwilio(params, { trunk: twilio.trunk, now: Date.now() }),
    ]);
  });

  app.post("/v1/adapters/telnyx", async (c) => {
    const telnyx = config.adapters.telnyx;
    if (!telnyx || !telnyxKey) {
      return sendProblem(
        c,
        "adapter_disabled",
        "Set adapters.telnyx.publicKey in the config to enable the Telnyx route.",
      );
    }
    const plausible = signedHeadersPlausible(
      headersOf(c),
      { signature: "telnyx-signature-ed25519", timestamp: "telnyx-timestamp" },
      Date.now(),
    );
    const body = plausible ? await c.req.text() : "";
    if (!plausible || !checkTelnyx(telnyxKey, body, headersOf(c), Date.now())) {
      return intake.unauthorized(
        c,
        "telnyx",
        "telnyx-signature-ed25519 does not verify over telnyx-timestamp|body, or the timestamp is more than 5 minutes old.",
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return sendProblem(c, "invalid_body", "The body is not JSON.");
    }
    return intake.adapted(c, "telnyx", [
      fromTelnyx(json, { trunk: telnyx.trunk, now: Date.now() }),
    ]);
  });

  app.post("/v1/adapters/freeswitch", async (c) => {
    const fs = config.adapters.freeswitch;
    const auth = c.req.header("authorization");
    const passwords = fs.password ? [fs.password] : ingestTokens;
    if (!checkBasic(auth, fs.username, passwords) && !checkBearer(auth, ingestTokens)) {
      return intake.unauthorized(
        c,
        "freeswitch",
        "Send HTTP Basic credentials (mod_json_cdr cred + auth-scheme basic) or Authorization: Bearer <ingest token>.",
      );
    }
    let text = await c.req.text();
    // mod_json_cdr with encode=true posts `cdr=<url-encoded JSON>`.
    if (
      (c.req.header("content-type") ?? "").includes("x-www-form-urlencoded") ||
      text.startsWith("cdr=")
    ) {
      text = new URLSearchParams(text).get("cdr") ?? "";
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return sendProblem(c, "invalid_body", "The body is not a JSON CDR.");
    }
    const list = Array.isArray(json) ? json : [json];
    return intake.adapted(
      c,
      "freeswitch",
      list.map((cdr) => fromFreeswitch(cdr, { now: Date.now() })),
    );
  });

  return app;
}
