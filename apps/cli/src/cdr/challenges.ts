/**
 * Digest challenges and their retries. A proxy that asks for credentials
 * answers the first INVITE of a call with 401 or 407; the caller sends the
 * INVITE again with credentials (same Call-ID and From tag, next CSeq), and
 * that second transaction decides the call. Platforms that write one row per
 * transaction (Kamailio acc) write both, so a challenge that is followed by a
 * retry is not a call attempt of its own: the retry is.
 *
 * Rows come in time order, so a challenge is held until the next INVITE row
 * of the same call (it is then dropped: "auth challenge, retried"), until no
 * retry can still come (it is then counted as the attempt it is, with its
 * 401/407), or until the end of the file. At most `maxPending` challenges are
 * held at once; past that the oldest is counted without waiting. Should its
 * retry come after all, the call would be counted twice: the keys of the
 * challenges let go early are remembered (as many again), so such a retry is
 * counted in `lateRetries` and the output says so.
 */

/** A challenge still waiting for its retry. */
export interface HeldChallenge<T> {
  /** What the caller needs to count the challenge as an attempt after all. */
  value: T;
  line: number;
  code: number;
  /** The row's time in ms, when it has one. */
  at: number | undefined;
}

export interface Challenges {
  /** Challenge rows followed by a retry in the same call: skipped. */
  retried: number;
  /** Challenges with no retry: counted as attempts with their 401/407. */
  unretried: number;
  /** Of those, the ones counted early because `maxPending` were held at once. */
  evicted: number;
  /** Retries that came after their challenge had been counted early: calls counted twice. */
  lateRetries: number;
  maxPending: number;
  /** How long after a challenge a retry's row may come, in seconds. */
  windowSeconds: number;
}

export const isChallenge = (code: number): boolean => code === 401 || code === 407;

/**
 * How long a retry may take, counted between the two rows' times: acc stamps
 * a row when its transaction ends, so the retry's row comes once the retried
 * call is answered or fails, which may be minutes of ringing later (a proxy's
 * Timer C runs for more than three minutes, RFC 3261 section 16.6).
 */
export const RETRY_WINDOW_MS = 10 * 60 * 1000;
export const MAX_PENDING_CHALLENGES = 50_000;

export class ChallengeTracker<T> {
  readonly #held = new Map<string, HeldChallenge<T>>();
  /** Keys of challenges counted early, oldest first, at most `maxPending`. */
  readonly #letGo = new Set<string>();
  readonly #release: (held: HeldChallenge<T>) => void;
  readonly #window: number;
  readonly stats: Challenges;
  /** Challenge rows seen with a call id (a split read stops at the first). */
  seen = 0;

  constructor(
    release: (held: HeldChallenge<T>) => void,
    options: { maxPending?: number; windowMs?: number } = {},
  ) {
    this.#release = release;
    this.#window = options.windowMs ?? RETRY_WINDOW_MS;
    this.stats = {
      retried: 0,
      unretried: 0,
      evicted: 0,
      lateRetries: 0,
      maxPending: options.maxPending ?? MAX_PENDING_CHALLENGES,
      windowSeconds: this.#window / 1000,
    };
  }

  /** Whether any challenge is held or was let go early: rows must then give their call key. */
  get active(): boolean {
    return this.#held.size > 0 || this.#letGo.size > 0;
  }

  /**
   * An INVITE row of call `key` at time `at`: returns the challenge it
   * retries, if one is held (the caller skips that row), after counting the
   * challenges that are too old for a retry to come.
   */
  next(key: string, at: number | undefined): HeldChallenge<T> | undefined {
    if (at !== undefined) this.expire(at);
    const held = this.#held.get(key);
    if (held) {
      this.#held.delete(key);
      this.stats.retried++;
      return held;
    }
    if (this.#letGo.delete(key)) this.stats.lateRetries++;
    return undefined;
  }

  /** Holds a challenge of call `key`: call after `next` for the same row. */
  hold(key: string, held: HeldChallenge<T>): void {
    this.seen++;
    this.#held.set(key, held);
    if (this.#held.size > this.stats.maxPending) {
      const [oldest, first] = this.#held.entries().next().value as [string, HeldChallenge<T>];
      this.#held.delete(oldest);
      this.stats.evicted++;
      this.#letGo.add(oldest);
      if (this.#letGo.size > this.stats.maxPending) {
        this.#letGo.delete(this.#letGo.values().next().value as string);
      }
      this.#count(first);
    }
  }

  /** Counts the held challenges older than the window before `now`. */
  expire(now: number): void {
    for (const [key, held] of this.#held) {
      if (held.at === undefined || now - held.at <= this.#window) break;
      this.#held.delete(key);
      this.#count(held);
    }
  }

  /** At the end of the input: every challenge still held had no retry. */
  end(): Challenges {
    for (const held of this.#held.values()) this.#count(held);
    this.#held.clear();
    this.#letGo.clear();
    return this.stats;
  }

  #count(held: HeldChallenge<T>) {
    this.stats.unretried++;
    this.#release(held);
  }
}
