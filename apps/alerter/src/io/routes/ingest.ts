import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { parseEventBody } from "../../domain/event.ts";
import type { AppDeps } from "../app.ts";
import { checkBearer, StandardWebhookVerifier, signedHeadersPlausible } from "../auth.ts";
import { sendProblem } from "../problem.ts";
import { inFlightLimit } from "../rate-limit.ts";
import { createIntake, headersOf } from "./_intake.ts";
import { providerRoutes } from "./providers.ts";

const utf8 = new TextDecoder();

/**
 * The ingest routes: our own format at POST /v1/events and the provider
 * adapters, behind one in-flight limit and one body limit.
 */
export function ingestRoutes(deps: AppDeps) {
  const { config, secrets, metrics } = deps;
  const ingestTokens = config.ingest.tokens ?? [secrets.ingestToken];
  const standard = new StandardWebhookVerifier(config.ingest.secret ?? secrets.ingestSecret);
  const intake = createIntake(deps);
  const app = new Hono();

  app.use("*", inFlightLimit(config.ingest.maxInFlight, metrics));
  app.use(
    "*",
    bodyLimit({
      maxSize: config.ingest.maxBodyBytes,
      onError: (c) =>
        sendProblem(
          c,
          "content_too_large",
          `The body is larger than ${config.ingest.maxBodyBytes} bytes; send smaller batches.`,
        ),
    }),
  );

  app.post("/v1/events", async (c) => {
    const headers = headersOf(c);
    const signed = headers["webhook-signature"] !== undefined;
    // Credentials first: a bearer token, or plausible signature headers, before reading the body.
    const plausible = signed
      ? signedHeadersPlausible(
          headers,
          { signature: "webhook-signature", timestamp: "webhook-timestamp", id: "webhook-id" },
          Date.now(),
        )
      : checkBearer(headers.authorization, ingestTokens);
    const bytes = plausible ? await c.req.arrayBuffer() : undefined;
    const body = bytes ? utf8.decode(bytes) : "";
    const ok = plausible && (!signed || standard.verify(body, headers));
    if (!ok) {
      return intake.unauthorized(
        c,
        "events",
        signed
          ? "The Standard Webhooks signature is invalid, or webhook-timestamp is more than 5 minutes from now."
          : "Sign the body with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) or send Authorization: Bearer <ingest token>.",
      );
    }
    const type = headers["content-type"] ?? "";
    const ndjson = type.includes("ndjson") || type.includes("jsonl");
    const parsed = parseEventBody(body, ndjson);
    if (!parsed) {
      return sendProblem(c, "invalid_body", "The body is not JSON, a JSON array, or NDJSON.");
    }
    const raw = bytes ? { bytes, ndjson } : undefined;
    return intake.accept(c, "events", parsed.events, parsed.rejected, {}, raw);
  });

  app.route("/", providerRoutes(deps, intake, ingestTokens));
  return app;
}
