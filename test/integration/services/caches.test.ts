// The hot path's in-process caches (prices, API tokens) on the real store: when one is cold or has
// just expired, the requests that arrive together share one look-up; and a look-up that was
// already running when an admin changed prices or revoked a token does not put stale data back.
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenService } from '../../../src/services/apiTokens.js';
import { PriceBook } from '../../../src/services/priceBook.js';
import { SingleFlight } from '../../../src/services/singleFlight.js';
import type { Store } from '../../../src/store/index.js';
import { useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'root' } as const;

beforeAll(async () => {
  f = await useServices();
});

/** A gate a test opens when it wants the held reads to finish. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/**
 * The fixture's store, with each read of prices and tokens held after it has read until `held`
 * opens; `read` resolves when the first such read has its answer.
 */
function storeHolding(held: Promise<void>): { store: Store; read: Promise<void> } {
  const done = gate();
  const prices = Object.create(f.store.prices) as Store['prices'];
  prices.all = async () => {
    const all = await f.store.prices.all();
    done.open();
    await held;
    return all;
  };
  const tokens = Object.create(f.store.tokens) as Store['tokens'];
  tokens.findByHash = async (hash) => {
    const token = await f.store.tokens.findByHash(hash);
    done.open();
    await held;
    return token;
  };
  return { store: { ...f.store, prices, tokens }, read: done.wait };
}

describe('SingleFlight', () => {
  it('shares one running load per key, and starts a new one once it settles', async () => {
    const flight = new SingleFlight<string, number>();
    let loads = 0;
    const load = async () => {
      const mine = ++loads;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return mine;
    };
    expect(await Promise.all([flight.run('a', load), flight.run('a', load), flight.run('b', load)])).toEqual([1, 1, 2]);
    expect(await flight.run('a', load)).toBe(3);
    const failing = flight.run('c', () => Promise.reject(new Error('down')));
    await expect(Promise.all([failing, flight.run('c', load)])).rejects.toThrow('down');
    expect(await flight.run('c', load)).toBe(4);
  });
});

describe('the price cache', () => {
  it('is filled by one read however many checks arrive on a cold cache', async () => {
    const prices = new PriceBook({ store: f.store, clock: f.clock.now });
    f.db.commands.reset();
    const answers = await Promise.all(Array.from({ length: 30 }, () => prices.isFreeModel('gpt-4o')));
    expect(answers.every((free) => !free)).toBe(true);
    expect(f.db.commands.names).toEqual(['find']);
  });

  it('is not filled with the table a read took before an edit', async () => {
    const held = gate();
    const holding = storeHolding(held.wait);
    const prices = new PriceBook({ store: holding.store, clock: f.clock.now });
    const before = prices.find('bench-model');
    await holding.read;
    await prices.save({ model: 'bench-model', provider: 'acme', inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 }, 'test');
    held.open();
    // The read that was done before the save answers without the model; the cache must not keep that.
    expect(await before).toBeUndefined();
    expect(await prices.find('bench-model')).toMatchObject({ provider: 'acme', inputPerMillion: 1_000_000 });
  });
});

describe('the API token cache', () => {
  it('is filled by one read however many requests bring the same token on a cold cache', async () => {
    const created = await f.services.tokens.create(admin, { kind: 'service', name: 'burst' });
    const tokens = new ApiTokenService({ store: f.store, clock: f.clock.now }, f.services.access, undefined);
    f.db.commands.reset();
    const actors = await Promise.all(Array.from({ length: 30 }, () => tokens.authenticate(created.secret)));
    expect(actors.every((a) => a?.kind === 'service')).toBe(true);
    expect(f.db.commands.countOf('find')).toBe(1);
  });

  it('does not keep a token that was revoked while it was being looked up', async () => {
    const created = await f.services.tokens.create(admin, { kind: 'service', name: 'revoked-midway' });
    const held = gate();
    const holding = storeHolding(held.wait);
    const tokens = new ApiTokenService({ store: holding.store, clock: f.clock.now }, f.services.access, undefined);
    const during = tokens.authenticate(created.secret);
    await holding.read;
    await tokens.revoke(admin, created.token.id);
    held.open();
    // The look-up read the token before the revocation; it reads again rather than trust that.
    await expect(during).resolves.toBeNull();
    await expect(tokens.authenticate(created.secret)).resolves.toBeNull();
  });
});
