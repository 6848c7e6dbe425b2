import { isIP } from "node:net";
import { z } from "zod";

/** An IP address or CIDR range (`10.0.0.0/8`, `::1/128`). */
const IpOrCidr = z.string().refine(
  (s) => {
    const [addr = "", bits, more] = s.split("/");
    const family = isIP(addr);
    if (family === 0 || more !== undefined) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
  },
  { error: "must be an IP address or a CIDR range" },
);

const Port = z.number().int().min(1).max(65_535);

const Match = z.strictObject({
  srcIp: z.array(z.string().min(1)).min(1).optional(),
  dstIp: z.array(z.string().min(1)).min(1).optional(),
  srcPort: z.array(Port).min(1).optional(),
  dstPort: z.array(Port).min(1).optional(),
  /** HEP capture agent ids (chunk 12). */
  agentId: z.array(z.number().int().min(0)).min(1).optional(),
  header: z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a SIP header name"),
      values: z.array(z.string()).min(1).optional(),
    })
    .optional(),
  ruriDomain: z.array(z.string().min(1).toLowerCase()).min(1).optional(),
  fromDomain: z.array(z.string().min(1).toLowerCase()).min(1).optional(),
});

const LabelSource = z.union([
  z.string().min(1).max(200),
  z.strictObject({ header: z.string().min(1) }),
  z.strictObject({
    from: z.enum(["ruri-domain", "ruri-user", "from-domain", "to-domain", "src-ip", "dst-ip"]),
  }),
]);

/** HEP ingest: SIP mirrored by Kamailio/OpenSIPS siptrace, FreeSWITCH, heplify, captagent. */
export const HepConfig = z
  .strictObject({
    /** Listen for HEP at all. */
    enabled: z.boolean().default(false),
    /** Interface of both listeners. */
    host: z.string().min(1).default("0.0.0.0"),
    /** UDP port (HEPv2 and v3, one packet per datagram); 0 picks a free one; null: no UDP listener. */
    udpPort: z.number().int().min(0).max(65_535).nullable().default(9060),
    /**
     * Receive buffer asked for the UDP socket (SO_RCVBUF), bytes: what absorbs
     * a burst while the worker thread is busy. Linux caps it at
     * `net.core.rmem_max` (raise that sysctl to get more; the alerter warns
     * at start when it got less than asked).
     */
    udpReceiveBufferBytes: z
      .number()
      .int()
      .min(65_536)
      .max(1 << 30)
      .default(8 * 1024 * 1024),
    /** TCP port (HEPv3 packets back to back); 0 picks a free one; null: no TCP listener. */
    tcpPort: z.number().int().min(0).max(65_535).nullable().default(9060),
    /** Capture agents that authenticate with their id (chunk 12) and password (auth key, chunk 14). */
    agents: z
      .array(z.strictObject({ id: z.number().int().min(0), password: z.string().min(8) }))
      .default([]),
    /** Source addresses (IPs, CIDRs) whose HEP is taken without an auth key. */
    allowFrom: z.array(IpOrCidr).default([]),
    /** `call`: Call-ID + CSeq, the first leg seen counts; `branch`: every Via branch is its own transaction. */
    match: z.enum(["call", "branch"]).default("call"),
    /** An INVITE without a final response this long is counted as 408 "No final response seen". */
    timeoutSeconds: z.number().min(1).max(3600).default(32),
    /**
     * A 401/407 to an INVITE is a digest challenge, not a call, when the caller
     * sends the INVITE again (same Call-ID, higher CSeq) within this long; the
     * retry's outcome counts. Without a retry in time the 401/407 counts. 0:
     * every 401/407 counts as a call at once.
     */
    challengeSeconds: z.number().min(0).max(300).default(10),
    /** Open INVITE transactions held at most (the oldest is evicted above, and counted). */
    maxOpenTransactions: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Only INVITEs that match one of these start a transaction (capture points); default every one. */
    count: z.array(Match).default([]),
    /** Labelling rules, in order; for each label the first rule that sets it wins. */
    rules: z
      .array(
        z.strictObject({
          when: Match.optional(),
          set: z.strictObject({
            direction: z.enum(["inbound", "outbound"]).optional(),
            trunk: LabelSource.optional(),
            customer: LabelSource.optional(),
          }),
        }),
      )
      .default([]),
    /**
     * Open transactions are saved in the store at shutdown and this often
     * (seconds; 0: only at shutdown), and taken back at start, so a restart
     * (or a crash, up to this much) does not lose the calls in progress.
     */
    saveOpenSeconds: z.number().min(0).max(3600).default(30),
    /**
     * The HEP worker thread reports every second; silent this long, it is
     * taken as stalled, terminated and restarted (as when it crashes).
     */
    workerStallSeconds: z.number().min(2).max(600).default(10),
    /** Events waiting for the store at most; above, new ones are dropped and counted. */
    maxPendingEvents: z.number().int().min(100).max(10_000_000).default(100_000),
  })
  .superRefine((hep, ctx) => {
    if (hep.enabled && hep.agents.length === 0 && hep.allowFrom.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["agents"],
        message:
          "HEP is enabled but nothing authenticates it: list agents (id + password) or allowFrom addresses",
      });
    }
  });
export type HepConfig = z.infer<typeof HepConfig>;
