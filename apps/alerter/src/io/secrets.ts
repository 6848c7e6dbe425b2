import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** Secrets the alerter generates on first start and keeps in the data directory. */
export const Secrets = z.object({
  /** Standard Webhooks secret our own senders sign events with. */
  ingestSecret: z.string().startsWith("whsec_"),
  /** Bearer token for senders that cannot sign (and the FreeSWITCH Basic password). */
  ingestToken: z.string().min(16),
  /** Bearer token of the management API (silences, dead letters, alerts). */
  apiToken: z.string().min(16),
  /** Standard Webhooks secret that signs alerts to webhook destinations without their own. */
  webhookSecret: z.string().startsWith("whsec_"),
});
export type Secrets = z.infer<typeof Secrets>;

export const SECRETS_FILE = "secrets.json";

const token = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;
const whsec = () => `whsec_${randomBytes(32).toString("base64")}`;

/** Reads the secrets file, creating it (mode 0600) with fresh secrets when missing. */
export function loadSecrets(dataDir: string): { secrets: Secrets; file: string; created: boolean } {
  const file = join(dataDir, SECRETS_FILE);
  if (existsSync(file)) {
    const parsed = Secrets.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${file} is damaged: ${parsed.error.issues[0]?.message}`);
    return { secrets: parsed.data, file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    ingestSecret: whsec(),
    ingestToken: token("sci_"),
    apiToken: token("sca_"),
    webhookSecret: whsec(),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { secrets, file, created: true };
}
