// A small workspace for the admin page to show: five people at every alert level, spend spread over
// the last days on several providers and models. Periods are custom 30-day ones anchored 20 days
// ago, so all of that spend is in everyone's current period whatever today's date.
import { DateTime } from 'luxon';
import type { Services } from '../../../../src/services/index.js';
import { ROOT, USD } from './constants.js';

export interface SeedPerson {
  userId: string;
  name: string;
  email: string;
  limitUsd: number;
  /** Dollars spent per call, one call a day going back from today. */
  calls: { usd: number; model: string; operation: string }[];
}

export const PEOPLE: SeedPerson[] = [
  {
    userId: 'UADA0001',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    limitUsd: 100,
    calls: [
      { usd: 4.25, model: 'openai/gpt-4o', operation: 'chat' },
      { usd: 3.1, model: 'anthropic/claude-sonnet-4-5', operation: 'code review' },
      { usd: 2.5, model: 'google/gemini-2.5-pro', operation: 'summarise' },
      { usd: 2.49, model: 'openai/gpt-4o-mini', operation: 'chat' },
    ],
  },
  {
    userId: 'UGRACE01',
    name: 'Grace Hopper',
    email: 'grace@example.com',
    limitUsd: 50,
    calls: [
      { usd: 20, model: 'anthropic/claude-opus-4-1', operation: 'agent' },
      { usd: 15, model: 'anthropic/claude-opus-4-1', operation: 'agent' },
      { usd: 11, model: 'openai/gpt-5', operation: 'chat' },
    ],
  },
  {
    userId: 'ULINUS01',
    name: 'Linus Torvalds',
    email: 'linus@example.com',
    limitUsd: 20,
    calls: [
      { usd: 12, model: 'openai/gpt-5', operation: 'code review' },
      { usd: 13, model: 'openai/o3', operation: 'reasoning' },
    ],
  },
  {
    userId: 'UBARB001',
    name: 'Barbara Liskov',
    email: 'barbara@example.com',
    limitUsd: 200,
    calls: [
      { usd: 30, model: 'google/gemini-2.5-pro', operation: 'research' },
      { usd: 25, model: 'google/gemini-2.5-flash', operation: 'research' },
      { usd: 35, model: 'anthropic/claude-sonnet-4-5', operation: 'writing' },
    ],
  },
  {
    userId: 'UMARG001',
    name: 'Margaret Hamilton',
    email: 'margaret@example.com',
    limitUsd: 80,
    calls: [
      { usd: 22, model: 'openai/gpt-4.1', operation: 'planning' },
      { usd: 20, model: 'openai/gpt-4.1', operation: 'planning' },
      { usd: 18, model: 'anthropic/claude-haiku-4-5', operation: 'triage' },
    ],
  },
];

export async function seedWorkspace(services: Services, now = new Date()): Promise<void> {
  const anchor = DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ days: 20 }).toISODate() ?? '';
  for (const person of PEOPLE) {
    await services.settings.update(ROOT, person.userId, {
      displayName: person.name,
      email: person.email,
      limitMicros: person.limitUsd * USD,
      periodType: 'custom',
      periodAnchor: anchor,
      customPeriodDays: 30,
    });
    for (const [i, call] of person.calls.entries()) {
      await services.usage.record({
        userId: person.userId,
        idempotencyKey: `seed-${person.userId}-${i}`,
        model: call.model,
        operation: call.operation,
        inputTokens: 1000 * (i + 1),
        outputTokens: 400 * (i + 1),
        costMicros: Math.round(call.usd * USD),
        occurredAt: new Date(now.getTime() - (i * 3 + 1) * 86_400_000),
      });
    }
  }
}
