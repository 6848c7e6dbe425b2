import { DEFAULT_PROFILE, defaultRegistry } from "@sipcodes/core";
import { configIssues, DetectorConfig } from "@sipcodes/detect";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { HepConfig } from "./config-hep.ts";
import { Labels } from "./domain/labels.ts";
import { Matcher } from "./domain/silence.ts";

/** A URL an alert may be posted to: http or https, no credentials in it. */
const DestinationUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .refine((u) => !new URL(u).username && !new URL(u).password, "must not carry credentials");

const destinationBase = {
  /** Unique name, used in logs, metrics and the outbox. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1–64 letters, digits, '.', '_' or '-'"),
  /** Only alerts of these rule ids go here; default every rule. */
  rules: z.array(z.string().min(1)).min(1).optional(),
  /** Also send a notice when a group resolves. */
  sendResolved: z.boolean().default(true),
};

export const Destination = z.discriminatedUnion("type", [
  z.strictObject({
    ...destinationBase,
    type: z.literal("webhook"),
    url: DestinationUrl,
    /** Standard Webhooks secret (`whsec_…`); default the generated one in the data directory. */
    secret: z.string().min(8).optional(),
  }),
  z.strictObject({ ...destinationBase, type: z.literal("slack"), url: DestinationUrl }),
  z.strictObject({
    ...destinationBase,
    /**
     * Slack through the Web API with a bot token: an incident's first notice
     * is posted with `chat.postMessage`; each later state edits that message
     * (`chat.update`) and adds a reply in its thread.
     */
    type: z.literal("slack-api"),
    /** The Web API's base URL (a proxy, or a local receiver in tests). */
    url: DestinationUrl.default("https://slack.com/api/"),
    /** A bot token (`xoxb-…`) with the `chat:write` scope, its bot a member of the channel. */
    token: z.string().regex(/^xox[a-z]-\S+$/, "must be a Slack token (xoxb-…)"),
    /** The channel's id (`C…`, `G…` or `D…`), not its name: updates must name the same channel. */
    channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, "must be a channel id such as C0123456789"),
  }),
  z.strictObject({ ...destinationBase, type: z.literal("teams"), url: DestinationUrl }),
  z.strictObject({
    ...destinationBase,
    type: z.literal("pagerduty"),
    url: DestinationUrl.default("https://events.pagerduty.com/v2/enqueue"),
    /** The integration key of a PagerDuty service (Events API v2). */
    routingKey: z.string().min(1),
  }),
  z.strictObject({
    ...destinationBase,
    type: z.literal("alertmanager"),
    /** Alertmanager's alerts endpoint, e.g. http://alertmanager:9093/api/v2/alerts. */
    url: DestinationUrl,
    /** Seconds between re-sends of firing alerts; `endsAt` is 4 re-sends ahead. */
    resendSeconds: z.number().int().min(10).max(3600).default(60),
    /** The alerter's external URL, for each alert's generatorURL. */
    alerterUrl: z.url({ protocol: /^https?$/ }).optional(),
  }),
]);
export type Destination = z.infer<typeof Destination>;

export { type LabelName, Labels } from "./domain/labels.ts";

/**
 * Alertmanager's inhibit rule: while a firing incident matches
 * `sourceMatchers`, incidents matching `targetMatchers` with the same values
 * of the `equal` labels are not announced (an absent label equals an absent
 * one). Matched on each incident's root labels; an incident never inhibits itself.
 */
export const InhibitRule = z.strictObject({
  sourceMatchers: z.array(Matcher).min(1).max(20),
  targetMatchers: z.array(Matcher).min(1).max(20),
  equal: z.array(z.enum(Labels)).default([]),
});
export type InhibitRule = z.output<typeof InhibitRule>;

/** The alerter's config file. Every field has a default; `{}` is a valid config. */
const AlerterConfigFields = z.strictObject({
  /** Core profile whose explanations alerts carry (`rfc`, `jola`, `teams`). */
  profile: z
    .string()
    .min(1)
    .default(DEFAULT_PROFILE)
    .refine((id) => defaultRegistry().get(id) !== undefined, {
      error: () =>
        `must be one of ${defaultRegistry()
          .list()
          .map((p) => p.id)
          .join(", ")}`,
    }),
  evaluation: z
    .strictObject({
      /** Seconds between evaluations. */
      intervalSeconds: z.number().int().min(1).max(3600).default(60),
      /**
       * `wall`: evaluate on a timer at the wall-clock time. `event`: time is the
       * newest event time; evaluations run as events cross each interval (replays
       * and tests: a day of events evaluates in seconds).
       */
      clock: z.enum(["wall", "event"]).default("wall"),
      /**
       * Wall clock: an evaluation without transitions or notifications saves the
       * detector snapshot only this often (a restart replays the events since).
       */
      snapshotSeconds: z.number().int().min(0).max(86_400).default(300),
      /**
       * Wall clock: evaluations run at whole multiples of the interval since the
       * epoch (every minute on :00), this many seconds late (at most the
       * interval less one second) so events of the closing minute that are
       * still in transit are counted.
       */
      graceSeconds: z.number().int().min(0).max(300).default(5),
    })
    .prefault({}),
  /** Detection rules and limits: `@sipcodes/detect`'s schema (see its README). */
  detector: DetectorConfig.default({}),
  ingest: z
    .strictObject({
      /** Standard Webhooks secret of our own senders; default generated in the data directory. */
      secret: z.string().min(8).optional(),
      /** Bearer tokens accepted on /v1/events; default one generated token. */
      tokens: z.array(z.string().min(16, "must be at least 16 characters")).optional(),
      /** Largest accepted body, in bytes (413 above). */
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024)
        .default(8 * 1024 * 1024),
      /** Ingest requests processed at once; more get 503 with Retry-After. */
      maxInFlight: z.number().int().min(1).max(10_000).default(64),
      /** Events per second accepted over all ingest routes; more get 429 with Retry-After. 0: no limit. */
      maxEventsPerSecond: z.number().int().min(0).default(0),
      /** Hours an event id is remembered for de-duplication. */
      dedupeHours: z
        .number()
        .min(1)
        .max(24 * 30)
        .default(48),
    })
    .prefault({}),
  adapters: z
    .strictObject({
      twilio: z
        .strictObject({
          /** The account's auth token (signs X-Twilio-Signature). */
          authToken: z.string().min(1),
          /** The public base URL Twilio calls (e.g. https://alerts.example.com); default the request URL. */
          publicUrl: z.url().optional(),
          /** Trunk label of Twilio calls. */
          trunk: z.string().min(1).default("twilio"),
        })
        .optional(),
      telnyx: z
        .strictObject({
          /** The account's public key (base64 of the raw 32-byte Ed25519 key, or PEM). */
          publicKey: z.string().min(1),
          /** Trunk label when the webhook has no connection_id. */
          trunk: z.string().min(1).default("telnyx"),
        })
        .optional(),
      freeswitch: z
        .strictObject({
          /** HTTP Basic credentials of mod_json_cdr's `cred` param; default any user and an ingest token as password. */
          username: z.string().min(1).optional(),
          password: z.string().min(8).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  api: z
    .strictObject({
      /** Bearer token of the management API; default generated in the data directory. */
      token: z.string().min(16, "must be at least 16 characters").optional(),
    })
    .prefault({}),
  grouping: z
    .strictObject({
      /**
       * `incident` (default): one notification stream per incident (detect's
       * root-cause folding: a global spike is one incident, not one alert per
       * scope and rule); PagerDuty gets one dedup key per incident.
       * `labels`: Alertmanager-style groups of alerts by `groupBy`.
       */
      by: z.enum(["incident", "labels"]).default("incident"),
      /** With `by: labels`: labels whose values make a group: one notification per group. */
      groupBy: z.array(z.enum(Labels)).default(["rule", "trunk", "direction"]),
      /** Seconds a new group waits before its first notice, gathering alerts that fire together. */
      groupWaitSeconds: z.number().int().min(0).default(0),
      /** Least seconds between two notifications about changes in one group. */
      groupIntervalSeconds: z.number().int().min(0).default(300),
      /** Seconds after which a still-firing group is notified again. */
      repeatIntervalSeconds: z
        .number()
        .int()
        .min(60)
        .default(4 * 3600),
    })
    .prefault({}),
  /** Inhibit rules, as Alertmanager's `inhibit_rules` (grouping by incident). */
  inhibitRules: z.array(InhibitRule).max(100).default([]),
  destinations: z
    .array(Destination)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.name))
          ctx.addIssue({ code: "custom", path: [i, "name"], message: `repeats "${d.name}"` });
        seen.add(d.name);
      });
    }),
  delivery: z
    .strictObject({
      /** Per-attempt timeout, in ms. */
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      /** First retry delay ceiling, doubled each attempt (full jitter), in ms. */
      backoffBaseMs: z.number().int().min(1).default(1000),
      /** Largest retry delay, in ms. */
      backoffMaxMs: z
        .number()
        .int()
        .min(1)
        .default(5 * 60_000),
      /** Undelivered this long after creation → dead letter, in seconds. */
      deadLetterAfterSeconds: z
        .number()
        .int()
        .min(1)
        .default(24 * 3600),
      /** Deliveries in flight at once. */
      concurrency: z.number().int().min(1).max(256).default(8),
      /**
       * Deliveries in flight at once to one destination, so a receiver that
       * hangs holds at most this many slots and the others keep flowing.
       */
      perDestinationConcurrency: z.number().int().min(1).max(256).default(2),
    })
    .prefault({}),
  store: z
    .strictObject({
      /**
       * Redis mode: several alerter nodes share one Redis (7+). Unset (and no
       * SIPCODES_REDIS_URL) keeps the embedded SQLite store of one process.
       */
      redis: z
        .strictObject({
          /** `redis://` or `rediss://` URL; SIPCODES_REDIS_URL takes precedence. */
          url: z
            .string()
            .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
            .optional(),
          /**
           * Sentinel instead of a URL: the sentinels to ask, and the master's
           * name they monitor (`name`); the nodes follow a failover.
           */
          sentinels: z
            .array(
              z.strictObject({
                host: z.string().min(1),
                port: z.number().int().min(1).max(65_535),
              }),
            )
            .min(1)
            .optional(),
          /** The master name the sentinels monitor (`sentinel monitor <name> …`). */
          name: z.string().min(1).default("mymaster"),
          /** The password of the master and replicas, with `sentinels` (a URL carries its own). */
          password: z.string().min(1).optional(),
          /** The hash tag of every key: one deployment per prefix. */
          keyPrefix: z
            .string()
            .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, '.', '_' or '-'")
            .default("sipcodes"),
          /** Minutes an event id is remembered for de-duplication (replaces ingest.dedupeHours). */
          dedupeMinutes: z
            .number()
            .min(1)
            .max(30 * 24 * 60)
            .default(30),
          /** Replicas that must confirm each append (`WAIT`) before ingest acknowledges it; 0: none. */
          replicas: z.number().int().min(0).max(16).default(0),
          /** How long ingest waits for those replicas, in ms (then 503). */
          replicaTimeoutMs: z.number().int().min(10).max(60_000).default(1000),
          /** Evaluator lease, in ms; renewed every third of it. A dead evaluator is replaced within about this long. */
          leaseMs: z.number().int().min(1000).max(120_000).default(3000),
          /**
           * Seconds between the evaluator's checkpoints (state and stream position
           * committed between evaluations): a new evaluator replays at most this much.
           */
          checkpointSeconds: z.number().int().min(1).max(3600).default(5),
          /** How often the evaluator reads new events from the stream, in ms. */
          pollMs: z.number().int().min(10).max(10_000).default(250),
          /**
           * BullMQ job lock, in ms (renewed at half of it while an attempt runs):
           * a worker that dies mid-POST hands its job to another node within
           * about 1.5 times this.
           */
          lockMs: z.number().int().min(1000).max(120_000).default(10_000),
          /**
           * Warm standby: a node without the lease keeps a detector that follows
           * the committed state and the stream, so a takeover replays only the
           * stream's tail. Unset: on with the wall clock, off with the event
           * clock (which it does not support); false turns it off (each standby
           * then spends no CPU on counting, and a takeover loads the checkpoint).
           */
          standby: z.boolean().optional(),
        })
        .optional(),
      /**
       * The embedded SQLite store: insert events from a thread of its own, so
       * the main thread only reads requests and counts (the inserts and their
       * commits were over a third of its time). It costs more CPU in all, so
       * `auto` (the default) uses it only where there is more than one CPU.
       */
      writerThread: z.union([z.boolean(), z.literal("auto")]).default("auto"),
    })
    .prefault({}),
  /** What /readyz holds the alerter to. */
  health: z
    .strictObject({
      /** Wall clock: not ready when the last evaluation is older than this (default 3 intervals). */
      maxEvaluationAgeSeconds: z.number().int().min(1).optional(),
      /** Not ready when a destination has failed every attempt for longer than this. */
      maxDestinationFailingSeconds: z.number().int().min(1).default(900),
      /** Not ready with more dead letters than this (replay or clear them). */
      maxDeadLetters: z.number().int().min(0).default(10),
    })
    .prefault({}),
  /** HEP ingest (see config-hep.ts and the README). */
  hep: HepConfig.prefault({}),
  security: z
    .strictObject({
      /**
       * Destinations allowed even though they are private, loopback or link-local:
       * IPs, CIDR ranges (`10.0.0.0/8`, `::1/128`) or exact host names.
       */
      allowPrivateDestinations: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
});

/** The alerter's config: each part's schema, and the combinations they refuse together. */
export const AlerterConfig = AlerterConfigFields.superRefine((c, ctx) => {
  if (c.store.redis?.standby === true && c.evaluation.clock === "event")
    ctx.addIssue({
      code: "custom",
      path: ["store", "redis", "standby"],
      message:
        "the warm standby needs evaluation.clock: wall (with the event clock evaluations run as events cross interval boundaries, and a standby cannot re-run them where they were made); set store.redis.standby: false, or evaluation.clock: wall",
    });
});
export type AlerterConfig = z.infer<typeof AlerterConfig>;
export type AlerterConfigInput = z.input<typeof AlerterConfig>;

/** A config that cannot be used; `issues` name each bad field as `destinations[0].url`. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "invalid_config";
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function pathText(path: readonly (string | number)[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${key}` : key;
  }
  return out || "(root)";
}

/** Validates a parsed config object; throws a ConfigError naming every bad field. */
export function parseConfig(input: unknown, source = "config"): AlerterConfig {
  const result = AlerterConfig.safeParse(input ?? {});
  if (result.success) return result.data;
  // An unknown key is named by its own path, like every other bad field.
  const issues = configIssues(result.error.issues).map((i) => ({
    path: pathText(i.path),
    message: i.message,
  }));
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
  throw new ConfigError(`invalid ${source}:\n${lines}`, issues);
}

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseConfigText(text: string, source = "config"): AlerterConfig {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`invalid ${source}: ${(error as Error).message}`, [
      { path: "(root)", message: (error as Error).message },
    ]);
  }
  return parseConfig(data, source);
}
