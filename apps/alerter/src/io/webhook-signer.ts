import { Webhook } from "standardwebhooks";
import type { Destination } from "../config.ts";
import type { OutboxMessage } from "./store.ts";

/**
 * The Standard Webhooks headers of one delivery, shared by the single-node
 * worker and the BullMQ one: one signer per secret, kept for reuse. Other
 * destination types carry no signature.
 */
export class WebhookSigner {
  private readonly signers = new Map<string, Webhook>();

  constructor(private readonly defaultSecret: string) {}

  headers(dest: Destination, m: OutboxMessage, nowMs: number): Record<string, string> {
    if (dest.type !== "webhook") return {};
    const secret = dest.secret ?? this.defaultSecret;
    let signer = this.signers.get(secret);
    if (!signer) {
      signer = new Webhook(secret);
      this.signers.set(secret, signer);
    }
    const at = new Date(nowMs);
    return {
      "webhook-id": m.id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signer.sign(m.id, at, m.body),
    };
  }
}
