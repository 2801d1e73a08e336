// How the admin forms read what browsers send: strings only, checkboxes as hidden "false" plus
// "true", amounts in USD. No database needed; these sit beside the page tests they serve.
import { describe, expect, it } from 'vitest';
import { errorSummary, parseSettingsForm } from '../../../src/http/admin/forms/settingsForm.js';
import { parsePriceForm, priceValuesOf } from '../../../src/http/admin/forms/priceForm.js';

const SETTINGS = {
  displayName: ' Ada ',
  email: '',
  limitUsd: '$1,250.50',
  limitCeilingUsd: '',
  periodType: 'weekly',
  periodAnchor: '2025-06-02',
  customPeriodDays: '30',
  timezone: 'Europe/Berlin',
  thresholdYellow: '40',
  thresholdOrange: '70',
  thresholdRed: '90.5',
  enforceBudget: ['false', 'true'],
  autoFallback: 'false',
  fallbackModel: 'ollama/llama3.1',
  role: 'user',
  budgetVisibleToUser: ['false', 'true'],
  userCanModifyLimit: 'false',
  userCanResetBudget: ['false', 'true'],
  adminNotes: 'line one\r\nline two',
};

describe('the settings form', () => {
  it('turns a complete form into a settings patch in internal units', () => {
    const result = parseSettingsForm(SETTINGS);
    expect(result).toEqual({
      ok: true,
      patch: {
        displayName: 'Ada',
        email: null,
        limitMicros: 1_250_500_000,
        limitCeilingMicros: null,
        periodType: 'weekly',
        periodAnchor: '2025-06-02',
        customPeriodDays: 30,
        timezone: 'Europe/Berlin',
        thresholds: { yellow: 40, orange: 70, red: 90.5 },
        enforceBudget: true,
        autoFallback: false,
        fallbackModel: 'ollama/llama3.1',
        role: 'user',
        budgetVisibleToUser: true,
        userCanModifyLimit: false,
        userCanResetBudget: true,
        adminNotes: 'line one\nline two',
      },
    });
  });

  it('leaves out what the post leaves out (only those settings stay unchanged)', () => {
    expect(parseSettingsForm({ limitUsd: '12' })).toEqual({ ok: true, patch: { limitMicros: 12_000_000 } });
  });

  it('never turns an empty or odd string into 0 or true', () => {
    const result = parseSettingsForm({ ...SETTINGS, limitUsd: '', thresholdYellow: '', customPeriodDays: 'ten', enforceBudget: 'maybe', limitCeilingUsd: 'abc' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      limitUsd: ['is required'],
      thresholdYellow: ['must be a number from 1 to 100'],
      customPeriodDays: ['must be a whole number'],
      enforceBudget: ['must be checked or not'],
      limitCeilingUsd: ['must be an amount in dollars, like 25 or 12.50'],
    });
  });

  it('reports every problem at once: the shared schema’s and the thresholds’ order', () => {
    const result = parseSettingsForm({ ...SETTINGS, limitUsd: '10,001', thresholdYellow: '80', thresholdOrange: '60', thresholdRed: '50', timezone: 'Mars/Olympus', email: 'not-an-email' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      limitUsd: ['must be at most $10,000'],
      timezone: ['must be an IANA time zone such as Europe/Berlin'],
      email: ['Invalid email address'],
      thresholdOrange: ['must be greater than yellow'],
      thresholdRed: ['must be greater than orange'],
    });
    expect(errorSummary(result.errors).map((l) => l.href)).toEqual(['#f-email', '#f-limitUsd', '#f-timezone', '#f-thresholdOrange', '#f-thresholdRed']);
  });

  it('refuses negative amounts, too many decimals and thresholds out of range', () => {
    const result = parseSettingsForm({ limitUsd: '-5', limitCeilingUsd: '1.0000001', thresholdYellow: '0', thresholdOrange: '70', thresholdRed: '101' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.limitUsd).toEqual(['must be an amount in dollars, like 25 or 12.50']);
    expect(result.errors.limitCeilingUsd).toEqual(['must be an amount in dollars, like 25 or 12.50']);
    expect(result.errors.thresholdYellow).toEqual(['must be at least 1']);
    expect(result.errors.thresholdRed).toEqual(['must be at most 100']);
  });
});

describe('the price form', () => {
  it('reads a model price in USD per million tokens', () => {
    expect(parsePriceForm({ provider: 'Mistral', model: 'Mistral-Large', inputUsd: '2', outputUsd: '0.075' })).toEqual({
      ok: true,
      price: { provider: 'mistral', model: 'mistral-large', inputPerMillion: 2_000_000, outputPerMillion: 75_000 },
    });
  });

  it('refuses a provider prefix, a bad provider and prices out of range, field by field', () => {
    const result = parsePriceForm({ provider: 'open ai', model: 'openai/gpt-4o', inputUsd: '', outputUsd: '10001' });
    expect(result).toEqual({
      ok: false,
      errors: {
        model: ['must be the model without its provider (gpt-4o, not openai/gpt-4o)'],
        provider: ['must be a provider name such as openai (letters, digits, . _ -)'],
        inputUsd: ['is required'],
        outputUsd: ['must be at most $10,000 per million tokens'],
      },
    });
  });

  it('shows stored prices back to the cent or finer', () => {
    expect(priceValuesOf({ provider: 'openai', model: 'gpt-4o', inputPerMillion: 2_500_000, outputPerMillion: 75_000 })).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      inputUsd: '2.50',
      outputUsd: '0.075',
    });
  });
});
