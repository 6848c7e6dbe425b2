import type { AlerterConfigInput } from "../../src/config.ts";
import {
  e2eConfig,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  tempDir,
  waitFor,
} from "../helpers.ts";

export const INGEST_SECRET = `whsec_${Buffer.from("ingest-secret-shared-by-nodes!!!").toString("base64")}`;

/** e2eConfig plus what Redis mode needs: shared secrets and the store. */
export function clusterConfig(
  receiverUrl: string,
  redisUrl: string,
  prefix: string,
): AlerterConfigInput {
  return {
    ...e2eConfig(receiverUrl),
    ingest: { secret: INGEST_SECRET, tokens: ["ingest-token-shared-0123456789"] },
    api: { token: "api-token-shared-0123456789" },
    store: { redis: { url: redisUrl, keyPrefix: prefix, leaseMs: 1000, pollMs: 50 } },
  };
}

/** The webhook-ids one uninterrupted single-node (SQLite) run delivers for the standard scenario. */
export async function singleNodeIds(): Promise<Set<string>> {
  const tmp = tempDir();
  const receiver = await Receiver.start();
  const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
  try {
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(() => receiver.deliveredById().size >= 2, "the single-node notices");
    await new Promise((r) => setTimeout(r, 300));
    return new Set(receiver.deliveredById().keys());
  } finally {
    await alerter.close();
    await receiver.close();
    tmp.cleanup();
  }
}
