/**
 * The config the alerter runs with when SIPCODES_ALERTER_CONFIG is unset. It
 * is the README's reference: every field, at its default, commented.
 */
export const DEFAULT_CONFIG_YAML = `# sipcodes alerter: embedded default config (every value here is the default).
profile: rfc                 # core profile of the explanations: rfc, jola, teams
evaluation:
  intervalSeconds: 60        # one evaluation per minute
  clock: wall                # wall: timer on the wall clock; event: newest event time (replays, tests)
  snapshotSeconds: 300       # quiet evaluations save the detector state this often
  graceSeconds: 5            # wall: evaluate at :00 of each interval, this late (events in transit)
detector: {}                 # rules and limits of @sipcodes/detect; {} = the shipped rules
                             # sip-603, sip-500 and sip-6xx-reject over global, trunk,
                             # trunk x direction and customer scopes
ingest:
  # secret: whsec_...        # Standard Webhooks secret; default generated in the data dir
  # tokens: [...]            # bearer tokens; default one generated token
  maxBodyBytes: 8388608      # 413 above
  maxInFlight: 64            # 503 + Retry-After above
  maxEventsPerSecond: 0      # 429 + Retry-After above; 0 = no limit
  dedupeHours: 48            # an event id counts once within this horizon
adapters:
  # twilio: { authToken: "...", publicUrl: "https://alerts.example.com", trunk: twilio }
  # telnyx: { publicKey: "base64 Ed25519 key", trunk: telnyx }
  freeswitch: {}             # { username, password } for mod_json_cdr; default: an ingest token as password
api: {}                      # { token }; default generated in the data dir
grouping:
  by: incident               # incident: one notice stream per root cause; labels: groups by groupBy
  groupBy: [rule, trunk, direction]
  groupWaitSeconds: 0        # wait before a new group's first notice (gathers alerts firing together)
  groupIntervalSeconds: 300  # least time between two notices about one group's changes
  repeatIntervalSeconds: 14400
inhibitRules: []             # Alertmanager-style: [{ sourceMatchers, targetMatchers, equal }]
destinations: []             # webhook, slack, slack-api, teams, pagerduty, alertmanager (see the README)
delivery:
  timeoutMs: 10000
  backoffBaseMs: 1000        # exponential backoff with full jitter, from 1 s...
  backoffMaxMs: 300000       # ...up to 5 min, or longer when Retry-After says so
  deadLetterAfterSeconds: 86400
  concurrency: 8
  perDestinationConcurrency: 2   # one hung receiver holds at most this many slots
health:                      # what /readyz holds the alerter to
  # maxEvaluationAgeSeconds: 180     # wall clock; default 3 evaluation intervals
  maxDestinationFailingSeconds: 900  # a destination failing every attempt this long: not ready
  maxDeadLetters: 10                 # more dead letters: not ready
hep:
  enabled: false             # HEP listeners (Kamailio/OpenSIPS siptrace, FreeSWITCH, heplify); see the README
  host: 0.0.0.0
  udpPort: 9060              # HEPv2 and v3 datagrams; null: no UDP listener
  udpReceiveBufferBytes: 8388608   # SO_RCVBUF asked for the UDP socket (capped by net.core.rmem_max)
  tcpPort: 9060              # HEPv3 stream; null: no TCP listener
  agents: []                 # [{ id: <capture id>, password: <auth key> }]
  allowFrom: []              # source IPs/CIDRs taken without an auth key
  match: call                # call: Call-ID + CSeq (first leg seen counts); branch: every Via branch
  timeoutSeconds: 32         # no final response this long: counted as 408 "No final response seen"
  challengeSeconds: 10       # a 401/407 retried within this long is a digest challenge, not a call (0: count it)
  maxOpenTransactions: 100000
  count: []                  # capture-point filters of the INVITEs that count; [] = every INVITE
  rules: []                  # labelling: [{ when: {...}, set: { direction, trunk, customer } }]
  saveOpenSeconds: 30        # open transactions saved in the store this often and at shutdown (0: at shutdown)
  workerStallSeconds: 10     # the HEP worker thread silent this long: taken as stalled and restarted
  maxPendingEvents: 100000
security:
  allowPrivateDestinations: []   # IPs, CIDRs or host names allowed despite being private
# store:                    # unset: the embedded SQLite store of one process
#   writerThread: auto      # SQLite inserts on a thread of their own: auto (when >1 CPU), true, false
#   redis: { url: "redis://127.0.0.1:6379", keyPrefix: sipcodes, dedupeMinutes: 30,
#            replicas: 0, replicaTimeoutMs: 1000, leaseMs: 3000, pollMs: 250,
#            checkpointSeconds: 5, standby: true }   # standby: default on (wall clock only)
`;
