/**
 * A small in-memory cache with a time to live, per function instance (a Lambda instance lives minutes to hours and
 * serves one request at a time). Entries are read against the caller's clock, so tests can move time.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10000,
  ) {}

  get(key: K, nowMs: number): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V, nowMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Oldest insertion first (Map keeps insertion order): enough for a bounded cache of short-lived entries.
      const first = this.entries.keys().next();
      if (!first.done) this.entries.delete(first.value);
    }
    this.entries.set(key, { value, expiresAt: nowMs + this.ttlMs });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
