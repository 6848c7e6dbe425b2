import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/** The status page's session cookie. */
export const SESSION_COOKIE = "sipcodes_ui";
/** How long a login lasts. */
export const SESSION_SECONDS = 12 * 3600;

export interface Session {
  /** Random, per login: the form token is derived from it. */
  id: string;
  /** Expiry, ms since the epoch. */
  expiresAt: number;
}

const b64 = (bytes: Buffer) => bytes.toString("base64url");

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signs and checks the status page's sessions and form tokens with a key
 * derived (HKDF-SHA256) from the management token, so no new secret is kept
 * and changing the token ends every session. Sessions are stateless: the
 * cookie is `id.expiry.mac`; logging out removes the cookie, and a copied
 * cookie stays valid until its expiry (at most `SESSION_SECONDS`).
 */
export class SessionKeys {
  private readonly key: Buffer;

  constructor(managementToken: string) {
    this.key = Buffer.from(
      hkdfSync("sha256", managementToken, "", "sipcodes-alerter ui session v1", 32),
    );
  }

  private mac(purpose: string, text: string): string {
    return b64(createHmac("sha256", this.key).update(`${purpose}\n${text}`).digest());
  }

  /** A new session starting at `now`. */
  create(now: number): Session {
    return { id: b64(randomBytes(18)), expiresAt: now + SESSION_SECONDS * 1000 };
  }

  /** The cookie value of a session. */
  seal(session: Session): string {
    const body = `${session.id}.${session.expiresAt}`;
    return `${body}.${this.mac("session", body)}`;
  }

  /** The session a cookie value carries, if its signature is ours and it has not expired. */
  open(value: string | undefined, now: number): Session | undefined {
    if (!value) return undefined;
    const parts = value.split(".");
    if (parts.length !== 3) return undefined;
    const [id, expiry, mac] = parts as [string, string, string];
    if (!/^[A-Za-z0-9_-]{24}$/.test(id) || !/^\d{1,15}$/.test(expiry)) return undefined;
    if (!equal(mac, this.mac("session", `${id}.${expiry}`))) return undefined;
    const expiresAt = Number(expiry);
    return expiresAt > now ? { id, expiresAt } : undefined;
  }

  /** The form token of a session: every form carries it in a hidden field. */
  formToken(session: Session): string {
    return this.mac("form", session.id);
  }

  checkFormToken(session: Session, token: unknown): boolean {
    return typeof token === "string" && equal(token, this.formToken(session));
  }
}

/** The `Set-Cookie` value that stores `value` (or, with `null`, removes the cookie). */
export function sessionCookie(value: string | null, secure: boolean): string {
  const attributes = [
    `${SESSION_COOKIE}=${value ?? ""}`,
    "Path=/ui",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${value === null ? 0 : SESSION_SECONDS}`,
  ];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

/**
 * Whether a state-changing request comes from the page itself, by what the
 * browser says: `Sec-Fetch-Site` must be `same-origin` and `Origin` the
 * request's own origin when they are sent. A client that sends neither (curl)
 * is judged by the form token alone.
 */
export function sameOrigin(headers: {
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The origin the request was made to (scheme, host and port of its URL). */
  self: string;
}): boolean {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== "same-origin") return false;
  if (headers.origin !== undefined && headers.origin !== headers.self) return false;
  return true;
}
