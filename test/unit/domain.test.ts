import { describe, expect, it } from 'vitest';
import { newBudget } from '../../src/domain/budget.js';
import { decide } from '../../src/domain/check.js';
import { UnknownModelError } from '../../src/domain/errors.js';
import { alertLevel, DEFAULT_THRESHOLDS, levelsReached, thresholdProblems } from '../../src/domain/levels.js';
import { formatUsd, microsToUsdCents, microsToUsdExact, usdToMicros } from '../../src/domain/money.js';
import { isAdmin, ownerPermissions } from '../../src/domain/permissions.js';
import { costFromTokens, parseModel, priceCall, SEED_PRICES } from '../../src/domain/pricing.js';
import { projectedPeriodSpend } from '../../src/domain/projection.js';
import { budgetStatus } from '../../src/domain/status.js';

const USD = 1_000_000;
const defaults = { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' };

describe('money', () => {
  it.each([
    [23.45, 23_450_000],
    [0.1 + 0.2, 300_000],
    [0.000001, 1],
    [10_000, 10_000_000_000],
    [1.0000005, 1_000_001],
  ])('%f USD is %i micro-dollars', (usd, micros) => {
    expect(usdToMicros(usd)).toBe(micros);
  });
  it('refuses NaN and infinities', () => {
    expect(() => usdToMicros(Number.NaN)).toThrow(RangeError);
    expect(() => usdToMicros(Infinity)).toThrow(RangeError);
  });
  it('rounds budgets to cents and events to 6 decimals', () => {
    expect(microsToUsdCents(23_454_999)).toBe(23.45);
    expect(microsToUsdCents(23_455_000)).toBe(23.46);
    expect(microsToUsdExact(1_234_567)).toBe(1.234567);
    expect(formatUsd(1_234_567_890)).toBe('$1,234.57');
  });
});

describe('alert levels', () => {
  const limit = 100 * USD;
  it.each([
    [0, 'green'],
    [39_999_999, 'green'],
    [40 * USD, 'yellow'],
    [69_999_999, 'yellow'],
    [70 * USD, 'orange'],
    [90 * USD, 'red'],
    [99_999_999, 'red'],
    [100 * USD, 'over'],
    [150 * USD, 'over'],
  ])('%i micro-dollars of $100 is %s', (spent, level) => {
    expect(alertLevel(spent, limit, DEFAULT_THRESHOLDS)).toBe(level);
  });
  it('treats a $0 limit as over budget', () => {
    expect(alertLevel(0, 0, DEFAULT_THRESHOLDS)).toBe('over');
  });
  it('lists the levels a spend has reached, lowest first', () => {
    expect(levelsReached(95 * USD, limit, DEFAULT_THRESHOLDS)).toEqual(['yellow', 'orange', 'red']);
    expect(levelsReached(100 * USD, limit, DEFAULT_THRESHOLDS)).toEqual(['yellow', 'orange', 'red', 'over']);
    expect(levelsReached(39_999_999, limit, DEFAULT_THRESHOLDS)).toEqual([]);
  });
  it('requires thresholds within 1-100 and strictly increasing', () => {
    expect(thresholdProblems(DEFAULT_THRESHOLDS)).toEqual([]);
    expect(thresholdProblems({ yellow: 70, orange: 40, red: 90 })).toEqual([{ field: 'orange', message: 'must be greater than yellow' }]);
    expect(thresholdProblems({ yellow: 0, orange: 50, red: 50 })).toEqual([
      { field: 'yellow', message: 'must be between 1 and 100' },
      { field: 'red', message: 'must be greater than orange' },
    ]);
  });
});

describe('projection', () => {
  const period = { start: new Date('2025-06-01T00:00:00Z'), end: new Date('2025-07-01T00:00:00Z') };
  it('is linear in the elapsed fraction', () => {
    expect(projectedPeriodSpend(23_450_000, period, new Date('2025-06-16T00:00:00Z'))).toBe(46_900_000);
  });
  it('is the spend itself in the first hour', () => {
    expect(projectedPeriodSpend(5 * USD, period, new Date('2025-06-01T00:59:59Z'))).toBe(5 * USD);
  });
});

describe('permissions', () => {
  it('gives admins everything, by configuration or by role', () => {
    expect(isAdmin('U1', 'user', new Set(['U1']))).toBe(true);
    expect(isAdmin('U2', 'admin', new Set())).toBe(true);
    expect(isAdmin('U3', 'user', new Set(['U1']))).toBe(false);
    expect(ownerPermissions({ budgetVisibleToUser: false, userCanModifyLimit: false, userCanResetBudget: false }, true)).toEqual({ canView: true, canModifyLimit: true, canReset: true });
  });
  it('defaults regular users to see, not modify, not reset', () => {
    const budget = newBudget('U9', false, defaults, new Date('2025-06-10T00:00:00Z'));
    expect(ownerPermissions(budget, false)).toEqual({ canView: true, canModifyLimit: false, canReset: false });
    expect(ownerPermissions(newBudget('U1', true, defaults, new Date()), false)).toEqual({ canView: true, canModifyLimit: true, canReset: true });
  });
  it('gives nothing when the budget is hidden, whatever the other flags say', () => {
    expect(ownerPermissions({ budgetVisibleToUser: false, userCanModifyLimit: true, userCanResetBudget: true }, false)).toEqual({ canView: false, canModifyLimit: false, canReset: false });
  });
});

describe('pricing', () => {
  const gpt4o = SEED_PRICES.find((p) => p.model === 'gpt-4o');
  it('prices tokens in integers, rounding half up', () => {
    expect(gpt4o).toBeDefined();
    if (!gpt4o) return;
    // 1,000 input × $2.50/M + 500 output × $10/M = $0.0025 + $0.005
    expect(costFromTokens(gpt4o, 1000, 500)).toBe(7_500);
    expect(costFromTokens(gpt4o, 1, 0)).toBe(3); // 2.5 micro-dollars rounds up
    expect(costFromTokens(gpt4o, 0, 0)).toBe(0);
  });
  it('splits provider prefixes', () => {
    expect(parseModel('OpenAI/GPT-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(parseModel('gpt-4o', 'openai')).toEqual({ provider: 'openai', model: 'gpt-4o' });
  });
  it('uses the reported cost first, makes local models free, and refuses unknown models', () => {
    expect(priceCall({ provider: 'openai', model: 'x', reportedCost: 42, inputTokens: 1, outputTokens: 1, price: undefined })).toEqual({ cost: 42, source: 'reported' });
    expect(priceCall({ provider: 'ollama', model: 'x', reportedCost: undefined, inputTokens: 1e6, outputTokens: 1e6, price: undefined })).toEqual({ cost: 0, source: 'local' });
    const unknown = () => priceCall({ provider: 'acme', model: 'mystery-1', reportedCost: undefined, inputTokens: 1, outputTokens: 1, price: undefined });
    expect(unknown).toThrow(UnknownModelError);
    expect(unknown).toThrow(/"acme\/mystery-1"/);
  });
  it('seeds OpenAI, Anthropic, Google and local models', () => {
    const providers = new Set(SEED_PRICES.map((p) => p.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'google', 'ollama', 'openai']);
    expect(SEED_PRICES.filter((p) => p.provider === 'ollama').every((p) => p.inputPerMillion === 0 && p.outputPerMillion === 0)).toBe(true);
  });
});

describe('check decision', () => {
  const base = { limitMicros: 50 * USD, spentMicros: 10 * USD, enforceBudget: true, autoFallback: false };
  it.each([
    ['under budget', base, 1 * USD, false, 'allow'],
    ['estimate reaching exactly the limit', base, 40 * USD, false, 'allow'],
    ['estimate passing the limit', base, 40 * USD + 1, false, 'block'],
    ['over budget', { ...base, spentMicros: 50 * USD }, 0, false, 'block'],
    ['over budget with auto-fallback', { ...base, spentMicros: 50 * USD, autoFallback: true }, 0, false, 'fallback'],
    ['over budget on a free model', { ...base, spentMicros: 80 * USD }, 0, true, 'allow'],
    ['over budget, not enforced', { ...base, spentMicros: 80 * USD, enforceBudget: false }, 0, false, 'allow'],
    ['a $0 limit', { ...base, limitMicros: 0, spentMicros: 0 }, 0, false, 'block'],
  ] as const)('%s → %s', (_name, budget, estimate, free, action) => {
    expect(decide(budget, estimate, free)).toBe(action);
  });
});

describe('status', () => {
  it("reproduces the user's example: limit 50, spent 23.45, half way through a 30-day period", () => {
    const start = new Date('2025-06-01T00:00:00Z');
    const budget = {
      ...newBudget('user123', false, defaults, start),
      periodType: 'custom' as const,
      periodAnchor: '2025-06-01',
      customPeriodDays: 30,
      periodStart: start,
      periodEnd: new Date('2025-07-01T00:00:00Z'),
      spentMicros: 23_450_000,
    };
    const status = budgetStatus(budget, false, new Date('2025-06-16T00:00:00Z'));
    expect(status).toMatchObject({
      userId: 'user123',
      limitMicros: 50_000_000,
      spentMicros: 23_450_000,
      remainingMicros: 26_550_000,
      percentUsed: 46.9,
      alertLevel: 'yellow',
      daysRemaining: 15,
      projectedMicros: 46_900_000,
      isOverBudget: false,
      canView: true,
      canModifyLimit: false,
      canReset: false,
    });
  });
});
