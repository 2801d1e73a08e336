/** Cost of an LLM call from its tokens and a price table. */
import type { Micros } from './money.js';
import { UnknownModelError } from './errors.js';

export interface ModelPrice {
  /** Model name as integrations report it, lower case, without a provider prefix ("gpt-4o"). */
  model: string;
  provider: string;
  /** Micro-dollars per million input tokens: $2.50 / 1M tokens = 2_500_000. */
  inputPerMillion: Micros;
  outputPerMillion: Micros;
}

/** Providers that run on the team's own machines: never charged, never blocked. */
export const LOCAL_PROVIDERS = new Set(['ollama', 'local', 'lmstudio', 'llamacpp', 'vllm']);

/** Splits "openai/gpt-4o" into provider and model; a bare model keeps the given provider. */
export function parseModel(raw: string, provider?: string): { provider: string | undefined; model: string } {
  const slash = raw.indexOf('/');
  if (slash > 0) return { provider: raw.slice(0, slash).toLowerCase(), model: raw.slice(slash + 1).toLowerCase() };
  return { provider: provider?.toLowerCase(), model: raw.toLowerCase() };
}

export function isLocalProvider(provider: string | undefined): boolean {
  return provider !== undefined && LOCAL_PROVIDERS.has(provider);
}

export function isFree(price: ModelPrice): boolean {
  return price.inputPerMillion === 0 && price.outputPerMillion === 0;
}

/** tokens × price per million, rounded half up to the micro-dollar, in integers only. */
export function costFromTokens(price: ModelPrice, inputTokens: number, outputTokens: number): Micros {
  const scaled = inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion;
  return Math.floor((scaled + 500_000) / 1_000_000);
}

/**
 * The cost of a call: the reported cost when given, else tokens × the model's price. A local model
 * costs nothing; an unknown one without a reported cost is an error, never a silent $0.
 */
export function priceCall(input: {
  provider: string | undefined;
  model: string;
  reportedCost: Micros | undefined;
  inputTokens: number;
  outputTokens: number;
  price: ModelPrice | undefined;
}): { cost: Micros; source: 'reported' | 'price_table' | 'local' } {
  if (input.reportedCost !== undefined) return { cost: input.reportedCost, source: 'reported' };
  if (isLocalProvider(input.provider)) return { cost: 0, source: 'local' };
  // Named as it was sent (with its provider), so the integration recognises it.
  if (!input.price) throw new UnknownModelError(input.provider ? `${input.provider}/${input.model}` : input.model);
  return { cost: costFromTokens(input.price, input.inputTokens, input.outputTokens), source: 'price_table' };
}

const usd = (dollars: number): Micros => Math.round(dollars * 1_000_000);

function price(provider: string, model: string, inputUsd: number, outputUsd: number): ModelPrice {
  return { provider, model, inputPerMillion: usd(inputUsd), outputPerMillion: usd(outputUsd) };
}

/** List prices (USD per million tokens) of common models, seeded into the editable price table. */
export const SEED_PRICES: readonly ModelPrice[] = [
  price('openai', 'gpt-5', 1.25, 10),
  price('openai', 'gpt-5-mini', 0.25, 2),
  price('openai', 'gpt-5-nano', 0.05, 0.4),
  price('openai', 'gpt-4.1', 2, 8),
  price('openai', 'gpt-4.1-mini', 0.4, 1.6),
  price('openai', 'gpt-4.1-nano', 0.1, 0.4),
  price('openai', 'gpt-4o', 2.5, 10),
  price('openai', 'gpt-4o-mini', 0.15, 0.6),
  price('openai', 'o3', 2, 8),
  price('openai', 'o4-mini', 1.1, 4.4),
  price('anthropic', 'claude-opus-4-1', 15, 75),
  price('anthropic', 'claude-opus-4-5', 5, 25),
  price('anthropic', 'claude-sonnet-4-5', 3, 15),
  price('anthropic', 'claude-sonnet-4', 3, 15),
  price('anthropic', 'claude-haiku-4-5', 1, 5),
  price('anthropic', 'claude-3-5-haiku', 0.8, 4),
  price('google', 'gemini-2.5-pro', 1.25, 10),
  price('google', 'gemini-2.5-flash', 0.3, 2.5),
  price('google', 'gemini-2.5-flash-lite', 0.1, 0.4),
  price('google', 'gemini-2.0-flash', 0.1, 0.4),
  price('ollama', 'llama3.1', 0, 0),
  price('ollama', 'llama3.2', 0, 0),
  price('ollama', 'qwen2.5', 0, 0),
  price('ollama', 'mistral', 0, 0),
];
