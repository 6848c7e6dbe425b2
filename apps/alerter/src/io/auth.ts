import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Seconds a signed request may be old (or early): Standard Webhooks' tolerance, used for Telnyx too. */
export const TOLERANCE_SECONDS = 5 * 60;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type Headers = Record<string, string | undefined>;

/**
 * What can be checked before the body is read: the signature headers are
 * there and the timestamp (seconds) is within 5 minutes. A request failing
 * this is refused without reading a byte of its body.
 */
export function signedHeadersPlausible(
  headers: Headers,
  names: { signature: string; timestamp?: string; id?: string },
  nowMs: number,
): boolean {
  if (!headers[names.signature]) return false;
  if (names.id && !headers[names.id]) return false;
  if (!names.timestamp) return true;
  const timestamp = headers[names.timestamp];
  if (!timestamp || !/^\d+$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS;
}

/** The management token(s): the config's, else the generated one (the management API and the status page). */
export function managementTokens(
  config: { api: { token?: string | undefined } },
  secrets: { apiToken: string },
): [string] {
  return [config.api.token ?? secrets.apiToken];
}

/** Whether `value` is one of `secrets`, in time independent of where they differ. */
export function checkSecret(value: string, secrets: readonly string[]): boolean {
  let ok = false;
  for (const s of secrets) ok = safeEqual(value, s) || ok;
  return ok;
}

/** `Authorization: Bearer <token>` matching one of `tokens`. */
export function checkBearer(authorization: string | undefined, tokens: readonly string[]): boolean {
  if (!authorization) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  let ok = false;
  for (const t of tokens) ok = safeEqual(m[1]!, t) || ok;
  return ok;
}

/** `Authorization: Basic …` with the password (and the user, when one is configured). */
export function checkBasic(
  authorization: string | undefined,
  user: string | undefined,
  passwords: readonly string[],
): boolean {
  if (!authorization) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const u = decoded.slice(0, colon);
  const p = decoded.slice(colon + 1);
  if (user !== undefined && !safeEqual(u, user)) return false;
  let ok = false;
  for (const pw of passwords) ok = safeEqual(p, pw) || ok;
  return ok;
}

/**
 * Standard Webhooks: `webhook-id`, `webhook-timestamp` (within 5 minutes of
 * now) and `webhook-signature` (HMAC-SHA256 of `id.timestamp.body`).
 */
export class StandardWebhookVerifier {
  private readonly hook: Webhook;
  constructor(secret: string) {
    this.hook = new Webhook(secret);
  }
  verify(body: string, headers: Headers): boolean {
    const id = headers["webhook-id"];
    const timestamp = headers["webhook-timestamp"];
    const signature = headers["webhook-signature"];
    if (!id || !timestamp || !signature) return false;
    try {
      this.hook.verify(
        body,
        { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
        { jsonParse: false },
      );
      return true;
    } catch {
      return false;
    }
  }
}

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each POST param name and value, sorted by name. */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function checkTwilio(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return safeEqual(twilioSignature(authToken, url, params), signature);
}

/** A Telnyx public key as the portal shows it (base64 of the raw 32 bytes) or as PEM. */
export function telnyxKey(publicKey: string): KeyObject {
  const text = publicKey.trim();
  if (text.startsWith("-----BEGIN")) return createPublicKey(text);
  const raw = Buffer.from(text, "base64");
  if (raw.length !== 32)
    throw new Error("the Telnyx public key must be 32 bytes of base64 (or PEM)");
  // SubjectPublicKeyInfo DER prefix of an Ed25519 key.
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

/** Telnyx: Ed25519 signature (`telnyx-signature-ed25519`, base64) over `timestamp|body`, timestamp within 5 minutes. */
export function checkTelnyx(
  key: KeyObject,
  body: string,
  headers: Headers,
  nowMs: number,
): boolean {
  const signature = headers["telnyx-signature-ed25519"];
  const timestamp = headers["telnyx-timestamp"];
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  try {
    return verify(null, Buffer.from(`${timestamp}|${body}`), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
