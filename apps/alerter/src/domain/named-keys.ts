/**
 * Bounded label values for metrics: a key (trunk, customer) gets its own
 * value once it has been seen `minCount` times, for at most `max` keys; the
 * rest are `other`. Busy keys reach the count first, so the named ones are
 * the heavy hitters; candidates are held in a bounded map that is cleared
 * when full (quiet keys start counting again).
 */
export class NamedKeys {
  private readonly named = new Set<string>();
  private readonly candidates = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly minCount: number,
    private readonly maxCandidates = 10_000,
  ) {}

  /** The label value for `key`, counting this sighting. */
  label(key: string): string {
    if (this.named.has(key)) return key;
    if (this.named.size >= this.max) return "other";
    const n = (this.candidates.get(key) ?? 0) + 1;
    if (n >= this.minCount) {
      this.candidates.delete(key);
      this.named.add(key);
      return key;
    }
    if (this.candidates.size >= this.maxCandidates) this.candidates.clear();
    this.candidates.set(key, n);
    return "other";
  }
}
