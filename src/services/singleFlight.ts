/**
 * Concurrent callers asking for the same key share one load instead of each sending their own.
 * The caches on the hot path (prices, API tokens) expire every 30 s, and a busy server has dozens
 * of requests in flight when they do: without this, each of them would reload the same thing.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, load: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
