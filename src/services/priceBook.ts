/**
 * The price table, cached in the process: budget checks and usage recording need prices on every
 * call, and prices change rarely. Edits here refresh this process at once; other instances pick them
 * up within `ttlMs`.
 */
import { parseModel, SEED_PRICES, type ModelPrice, isFree, isLocalProvider } from '../domain/pricing.js';
import type { ServiceContext } from './context.js';

export const PRICE_CACHE_TTL_MS = 30_000;

export class PriceBook {
  private cache: { loadedAt: number; byModel: Map<string, ModelPrice> } | null = null;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>,
    private readonly ttlMs = PRICE_CACHE_TTL_MS,
  ) {}

  async seed(): Promise<void> {
    await this.ctx.store.prices.seed(SEED_PRICES, this.ctx.clock());
    this.cache = null;
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
    this.cache = null;
  }

  async remove(model: string): Promise<boolean> {
    const removed = await this.ctx.store.prices.remove(model);
    this.cache = null;
    return removed;
  }

  private async table(): Promise<Map<string, ModelPrice>> {
    const now = Date.now();
    if (this.cache && now - this.cache.loadedAt < this.ttlMs) return this.cache.byModel;
    const prices = await this.ctx.store.prices.all();
    this.cache = { loadedAt: now, byModel: new Map(prices.map((p) => [p.model, p])) };
    return this.cache.byModel;
  }
}
