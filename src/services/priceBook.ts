/**
 * The price table, cached in the process: budget checks and usage recording need prices on every
 * call, and prices change rarely. Edits here refresh this process at once; other instances pick them
 * up within `ttlMs`.
 */
import { parseModel, SEED_PRICES, type ModelPrice, isFree, isLocalProvider } from '../domain/pricing.js';
import type { ServiceContext } from './context.js';
import { SingleFlight } from './singleFlight.js';

export const PRICE_CACHE_TTL_MS = 30_000;

export class PriceBook {
  private cache: { loadedAt: number; byModel: Map<string, ModelPrice> } | null = null;
  /** Moves on at every edit, so a load that began before an edit neither fills the cache nor is shared after it. */
  private generation = 0;
  private readonly loads = new SingleFlight<number, Map<string, ModelPrice>>();

  constructor(
    private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>,
    private readonly ttlMs = PRICE_CACHE_TTL_MS,
  ) {}

  async seed(): Promise<void> {
    await this.ctx.store.prices.seed(SEED_PRICES, this.ctx.clock());
    this.invalidate();
  }

  async all(): Promise<ModelPrice[]> {
    return [...(await this.table()).values()];
  }

  async find(model: string): Promise<ModelPrice | undefined> {
    return (await this.table()).get(model.toLowerCase());
  }

  /** Local providers and $0 models cost nothing: never blocked. */
  async isFreeModel(rawModel: string, provider?: string): Promise<boolean> {
    const parsed = parseModel(rawModel, provider);
    if (isLocalProvider(parsed.provider)) return true;
    const price = await this.find(parsed.model);
    return price !== undefined && (isFree(price) || isLocalProvider(price.provider));
  }

  async save(price: ModelPrice, by: string): Promise<void> {
    await this.ctx.store.prices.upsert(price, by, this.ctx.clock());
    this.invalidate();
  }

  async remove(model: string): Promise<boolean> {
    const removed = await this.ctx.store.prices.remove(model);
    this.invalidate();
    return removed;
  }

  private invalidate(): void {
    this.cache = null;
    this.generation += 1;
  }

  private async table(): Promise<Map<string, ModelPrice>> {
    const now = Date.now();
    if (this.cache && now - this.cache.loadedAt < this.ttlMs) return this.cache.byModel;
    const generation = this.generation;
    const byModel = await this.loads.run(generation, async () => new Map((await this.ctx.store.prices.all()).map((p) => [p.model, p])));
    if (generation === this.generation) this.cache = { loadedAt: now, byModel };
    return byModel;
  }
}
