import type { Logger } from "pino";
import type { AlerterConfig, Destination } from "../config.ts";
import { judgeAttempt, type Verdict } from "../domain/backoff.ts";
import { slackVerdict } from "../domain/slack-api.ts";
import { postJson } from "./http-client.ts";
import type { Metrics } from "./metrics.ts";
import { deliverSlackApi } from "./slack-api.ts";
import { AllowList } from "./ssrf.ts";
import type { Outbox, OutboxMessage, SlackThreads } from "./store.ts";
import { WebhookSigner } from "./webhook-signer.ts";

export interface DeliveryOptions {
  config: AlerterConfig;
  outbox: Outbox;
  logger: Logger;
  metrics: Metrics;
  /** Where Slack API destinations keep their messages' ids (the store). */
  slackThreads?: SlackThreads;
  /** Signs webhook destinations that have no secret of their own. */
  defaultWebhookSecret: string;
  random?: () => number;
  now?: () => number;
  /** Told the outcome of every attempt (destination health for /readyz). */
  onOutcome?: (
    destination: string,
    outcome: "delivered" | "retry" | "dead",
    now: number,
    error?: string,
  ) => void;
}

/** How long the worker sleeps at most when nothing is due (a kick wakes it sooner). */
const IDLE_MS = 1000;

interface Flight {
  controller: AbortController;
  destination: string;
  stream: string;
}

/**
 * Drains the outbox: posts each due message, then records the verdict
 * (delivered, retry at a backed-off time, or dead letter). A message is
 * marked only after its attempt ends, so a crash mid-attempt leaves it
 * pending and it is sent again, with the same `webhook-id`.
 *
 * Order and isolation: only the oldest pending message of a stream (one
 * PagerDuty dedup key, one group at one destination) is ever attempted, and
 * never while another message of its stream is in flight, so a resolve
 * cannot overtake its trigger however the retries fall. At most
 * `perDestinationConcurrency` attempts run against one destination, so a
 * receiver that hangs holds only its own slots. A message whose stream has
 * delivered a newer one meanwhile (a dead letter replayed later) is marked
 * superseded instead of sent, so it never lands after the newer state.
 */
export class DeliveryWorker {
  private running = false;
  private readonly inFlight = new Map<string, Flight>();
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private readonly destinations: Map<string, Destination>;
  private readonly allow: AllowList;
  private readonly signer: WebhookSigner;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: DeliveryOptions) {
    this.destinations = new Map(options.config.destinations.map((d) => [d.name, d]));
    this.allow = new AllowList(options.config.security.allowPrivateDestinations);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.signer = new WebhookSigner(options.defaultWebhookSecret);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Looks for due messages now (after new ones were queued). */
  kick(): void {
    this.wake?.();
  }

  /** Stops taking messages; aborts attempts still running after `graceMs` (they stay pending). */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    this.kick();
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await sleep(20);
    for (const f of this.inFlight.values()) f.controller.abort();
    while (this.inFlight.size > 0) await sleep(5);
  }

  private async loop(): Promise<void> {
    const { outbox, config, logger } = this.options;
    while (this.running) {
      let waitMs = IDLE_MS;
      let again = false;
      try {
        const free = config.delivery.concurrency - this.inFlight.size;
        if (free > 0) {
          const perDest = new Map<string, number>();
          const streams: string[] = [];
          for (const f of this.inFlight.values()) {
            perDest.set(f.destination, (perDest.get(f.destination) ?? 0) + 1);
            streams.push(f.stream);
          }
          const full = (d: string) =>
            (perDest.get(d) ?? 0) >= config.delivery.perDestinationConcurrency;
          const due = await outbox.due(this.now(), free * 4, {
            destinations: [...perDest.keys()].filter(full),
            streams,
          });
          for (const m of due) {
            if (
              this.inFlight.size >= config.delivery.concurrency ||
              this.inFlight.has(m.id) ||
              full(m.destination)
            )
              continue;
            perDest.set(m.destination, (perDest.get(m.destination) ?? 0) + 1);
            this.attempt(m);
            again = true;
          }
        }
        // Messages due now are in flight (their end kicks the loop); otherwise sleep until the next one.
        const next = await outbox.nextDue();
        const until = next === null ? IDLE_MS : next - this.now();
        if (until > 0) waitMs = Math.min(IDLE_MS, until);
        // Slots left after starting some: look again at once (a full destination is skipped now).
        if (again && this.inFlight.size < config.delivery.concurrency) waitMs = 0;
      } catch (error) {
        logger.error({ err: error }, "outbox poll failed");
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private attempt(m: OutboxMessage): void {
    const controller = new AbortController();
    this.inFlight.set(m.id, { controller, destination: m.destination, stream: m.stream });
    this.send(m, controller.signal)
      .catch((error) =>
        this.options.logger.error({ err: error, message: m.id }, "delivery bookkeeping failed"),
      )
      .finally(() => {
        this.inFlight.delete(m.id);
        this.kick();
      });
  }

  private async send(m: OutboxMessage, signal: AbortSignal): Promise<void> {
    const { outbox, config, logger, metrics } = this.options;
    const dest = this.destinations.get(m.destination);
    if (!dest) {
      await outbox.markDead(
        m.id,
        this.now(),
        `destination "${m.destination}" is no longer configured`,
        null,
      );
      metrics.deliveries.inc({ destination: m.destination, outcome: "dead" });
      return;
    }
    // A replayed dead letter whose stream delivered a newer message since is stale: sending it
    // now would put an old state after a newer one (a trigger after its resolve).
    const newer = await outbox.newerDelivered?.(m.id);
    if (newer) {
      await outbox.markSuperseded?.(m.id, newer, this.now());
      logger.info(
        { message: m.id, destination: dest.name, supersededBy: newer },
        "stale message superseded by a newer one already delivered",
      );
      return;
    }
    let verdict: Verdict;
    let status: number | null;
    let now: number;
    const context = () => ({
      attempt: m.attempts + 1,
      now,
      deadline: m.deadline,
      random: this.random,
    });
    if (dest.type === "slack-api") {
      const threads = this.options.slackThreads;
      const outcome = threads
        ? await deliverSlackApi(dest, m, {
            threads,
            allow: this.allow,
            timeoutMs: config.delivery.timeoutMs,
            signal,
            now: this.now,
          })
        : ({ kind: "dead", reason: "this store keeps no Slack threads" } as const);
      if (outcome.kind === "aborted" || signal.aborted) return; // shutting down: stays pending
      now = this.now();
      verdict =
        outcome.kind === "delivered"
          ? { outcome: "delivered" }
          : slackVerdict(outcome, context(), config.delivery);
      status = outcome.kind === "delivered" ? 200 : null;
    } else {
      const result = await postJson(dest.url, m.body, {
        timeoutMs: config.delivery.timeoutMs,
        allow: this.allow,
        headers: this.signer.headers(dest, m, this.now()),
        signal,
      });
      if (signal.aborted) return; // shutting down: the message stays pending as it was
      now = this.now();
      verdict = judgeAttempt(result, context(), config.delivery);
      status = result.kind === "response" ? result.status : null;
    }
    const log = { message: m.id, destination: dest.name, attempt: m.attempts + 1, status };
    metrics.deliveries.inc({ destination: dest.name, outcome: verdict.outcome });
    this.options.onOutcome?.(
      dest.name,
      verdict.outcome,
      now,
      "reason" in verdict ? verdict.reason : undefined,
    );
    switch (verdict.outcome) {
      case "delivered":
        await outbox.markDelivered(m.id, now, status ?? 0);
        logger.info(log, "alert delivered");
        break;
      case "retry":
        await outbox.markRetry(m.id, now + verdict.delayMs, verdict.reason, status);
        logger.warn(
          { ...log, reason: verdict.reason, retryInMs: verdict.delayMs },
          "delivery failed; will retry",
        );
        break;
      case "dead":
        await outbox.markDead(m.id, now, verdict.reason, status);
        logger.error({ ...log, reason: verdict.reason }, "delivery given up: dead letter");
        break;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
