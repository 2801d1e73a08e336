// The admin page in a real browser (Debian's Chromium through playwright-core), against the real app
// started the way `npm start` starts it. Each step is what an admin does; each page is screenshotted
// to artifacts/screenshots/ for people to review. The tests run in order and share one signed-in page.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, ROOT, USD, startAdminApp, type AdminApp } from '../integration/admin/support/adminApp.js';
import { seedWorkspace } from '../integration/admin/support/seed.js';
import { launchChromium, screenshot, watchForErrors } from './support/browser.js';

const STEP_TIMEOUT = 30_000;

let app: AdminApp;
let browser: Browser | undefined;
let launchError: unknown;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  app = await startAdminApp();
  await seedWorkspace(app.services);
  // A missing browser must fail every test with its message; thrown here, vitest would report the
  // tests as skipped instead.
  try {
    browser = await launchChromium();
  } catch (err) {
    launchError = err;
    return;
  }
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  consoleErrors = watchForErrors(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The browser, or the reason there is none (each test starts with this). */
function chromium(): Browser {
  if (!browser) throw launchError instanceof Error ? launchError : new Error('Chromium did not start');
  return browser;
}

/** Chart.js has drawn every canvas (run in the page; a string because tests have no DOM types). */
const CHARTS_DRAWN = "[...document.querySelectorAll('canvas')].every((c) => c.width > 0 && c.getAttribute('style') !== null)";

/** Clicks a submit button and waits for the page it leads to (the same URL after a redirect, or an error page). */
async function submit(target: Page, button: Locator): Promise<void> {
  const navigated = target.waitForEvent('framenavigated', (frame) => frame === target.mainFrame());
  await button.click();
  await navigated;
  await target.waitForLoadState();
}

const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? '';

describe('the admin page in Chromium', () => {
  it('asks for sign-in, refuses a wrong token, and signs in with the admin token', async () => {
    chromium();
    await page.goto(`${app.url}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await screenshot(page, '01-login');

    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await text('#f-token-error')).toContain('not a valid admin token');

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the admin was going.
    await page.waitForURL(`${app.url}/admin/users`);
    expect(await text('[role=status]')).toContain('Signed in.');
  }, STEP_TIMEOUT);

  it('shows the overview with totals, providers, levels and a daily chart', async () => {
    chromium();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.waitForURL(`${app.url}/admin`);
    expect(await text('h1')).toBe('Overview');
    // 12.34 + 46 + 25 + 90 + 60 spent by the seeded people.
    expect(await text('.stat-value')).toBe('$233.34');
    const providers = await page.locator('table').nth(1).locator('tbody th').allTextContents();
    expect(providers).toEqual(['anthropic', 'openai', 'google']);
    // Chart.js drew on the canvases (the script is a static file; the CSP allows no inline script).
    await page.waitForFunction(CHARTS_DRAWN);
    expect(await page.locator('canvas').count()).toBe(2);
    await screenshot(page, '02-overview');
  }, STEP_TIMEOUT);

  it('finds a user by searching the users table', async () => {
    chromium();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.waitForURL(`${app.url}/admin/users`);
    expect(await page.locator('table.users-table tbody tr').count()).toBe(5);
    await screenshot(page, '03-users');

    await page.getByLabel('Search').fill('ada');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=ada/);
    expect(await page.locator('table.users-table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.waitForURL(`${app.url}/admin/users/UADA0001`);
    expect(await text('h1')).toContain('Ada Lovelace');
    await page.waitForFunction(CHARTS_DRAWN);
    await screenshot(page, '04-user');
  }, STEP_TIMEOUT);

  it('changes the limit and the thresholds, and the audit log shows it', async () => {
    chromium();
    await page.getByLabel('Limit per period (USD)').fill('150');
    await page.getByLabel('Yellow at').fill('50');
    await page.getByLabel('Orange at').fill('75');
    await page.getByLabel('Red at').fill('95');
    await submit(page, page.getByRole('button', { name: 'Save settings' }));
    expect(page.url()).toBe(`${app.url}/admin/users/UADA0001`);
    expect(await text('[role=status]')).toBe('Settings saved.');
    expect(await page.getByLabel('Limit per period (USD)').inputValue()).toBe('150.00');
    expect(await text('#audit tbody tr')).toContain('Limit: $100.00 → $150.00');
    expect(await text('#audit tbody tr')).toContain('Alert thresholds: 40 / 70 / 90 % → 50 / 75 / 95 %');

    const saved = await app.services.settings.get(ROOT, 'UADA0001');
    expect(saved.limitMicros).toBe(150 * USD);
    expect(saved.thresholds).toEqual({ yellow: 50, orange: 75, red: 95 });
  }, STEP_TIMEOUT);

  it('shows each error next to its field for 10,001 and thresholds out of order, and saves nothing', async () => {
    chromium();
    const auditBefore = (await app.services.history.settingsChanges(ROOT, 'UADA0001')).items.length;
    await page.getByLabel('Limit per period (USD)').fill('10,001');
    await page.getByLabel('Yellow at').fill('80');
    await page.getByLabel('Orange at').fill('60');
    await page.getByLabel('Red at').fill('50');
    await submit(page, page.getByRole('button', { name: 'Save settings' }));

    expect(await text('#f-limitUsd-error')).toContain('must be at most $10,000');
    expect(await text('#f-thresholdOrange-error')).toContain('must be greater than yellow');
    expect(await text('#f-thresholdRed-error')).toContain('must be greater than orange');
    expect(await page.locator('#f-thresholdYellow-error').count()).toBe(0);
    // Each message sits right after its own input and is announced with it.
    for (const name of ['limitUsd', 'thresholdOrange', 'thresholdRed']) {
      const input = page.locator(`#f-${name}`);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.getAttribute('aria-describedby')).toContain(`f-${name}-error`);
      const errorRightAfterInput = page.locator(`#f-${name} + #f-${name}-error, #f-${name} + .hint + #f-${name}-error`);
      expect(await errorRightAfterInput.count()).toBe(1);
    }
    // The form keeps what the admin typed.
    expect(await page.getByLabel('Limit per period (USD)').inputValue()).toBe('10,001');
    expect(await page.getByLabel('Orange at').inputValue()).toBe('60');
    await screenshot(page, '05-user-errors');

    const after = await app.services.settings.get(ROOT, 'UADA0001');
    expect(after.limitMicros).toBe(150 * USD);
    expect(after.thresholds).toEqual({ yellow: 50, orange: 75, red: 95 });
    expect((await app.services.history.settingsChanges(ROOT, 'UADA0001')).items.length).toBe(auditBefore);
  }, STEP_TIMEOUT);

  it('resets the budget with a reason and shows the history entry', async () => {
    chromium();
    await page.goto(`${app.url}/admin/users/UADA0001`);
    await page.getByLabel('Reason').fill('Quarter closed; starting the new research project');
    await page.getByLabel('Yes, reset this budget now').check();
    await submit(page, page.getByRole('button', { name: 'Reset budget' }));
    expect(await text('[role=status]')).toContain('Budget reset. $12.34 was spent in the period that ended');
    const row = await text('#resets tbody tr');
    expect(row).toContain('Manual');
    expect(row).toContain('Quarter closed; starting the new research project');
    expect(row).toContain('$12.34');
    expect((await app.services.status.status(ROOT, 'UADA0001')).spentMicros).toBe(0);
    await screenshot(page, '06-user-after-reset');
  }, STEP_TIMEOUT);

  it('creates an API key, shows it once, and revokes it', async () => {
    chromium();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(`${app.url}/admin/keys`);
    await page.getByLabel('Kind').selectOption('service');
    await page.getByLabel('Name').fill('LLM gateway');
    await page.getByRole('button', { name: 'Create key' }).click();

    const secret = await page.getByTestId('new-key').inputValue();
    expect(secret).toMatch(/^bb_svc_[A-Za-z0-9_-]{43}$/);
    await screenshot(page, '07-api-key-created');
    const [stored] = (await app.store.tokens.list({ kind: 'service' })).filter((t) => t.name === 'LLM gateway');
    expect(stored?.prefix).toBe(secret.slice(0, 12));

    // Shown once: the list page never shows it again.
    await page.goto(`${app.url}/admin/keys`);
    expect(await page.content()).not.toContain(secret);
    expect(await text('table tbody')).toContain('LLM gateway');
    await screenshot(page, '08-api-keys');

    await submit(page, page.getByRole('button', { name: `Revoke key ${secret.slice(0, 12)}` }));
    expect(await text('[role=status]')).toContain('revoked');
    expect(await page.locator('table').count()).toBe(0);
    const [revoked] = (await app.store.tokens.list({ kind: 'service', includeRevoked: true })).filter((t) => t.name === 'LLM gateway');
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
  }, STEP_TIMEOUT);

  it('lists, edits and adds model prices', async () => {
    chromium();
    await page.getByRole('link', { name: 'Model prices' }).click();
    await page.waitForURL(`${app.url}/admin/prices`);
    await screenshot(page, '09-prices');

    await page.getByRole('link', { name: 'Edit the price of gpt-4o', exact: true }).click();
    expect(await page.getByLabel('Model').inputValue()).toBe('gpt-4o');
    await page.getByLabel('Input, USD per 1M tokens').fill('2.75');
    await submit(page, page.getByRole('button', { name: 'Save price' }));
    expect(page.url()).toBe(`${app.url}/admin/prices`);
    expect(await text('[role=status]')).toBe('Saved the price of gpt-4o.');

    await page.getByLabel('Provider').fill('mistral');
    await page.getByLabel('Model').fill('mistral-large');
    await page.getByLabel('Input, USD per 1M tokens').fill('2');
    await page.getByLabel('Output, USD per 1M tokens').fill('-6');
    await submit(page, page.getByRole('button', { name: 'Add model' }));
    expect(await text('#f-outputUsd-error')).toContain('must be an amount in dollars');
    await page.getByLabel('Output, USD per 1M tokens').fill('6');
    await submit(page, page.getByRole('button', { name: 'Add model' }));
    expect(await text('[role=status]')).toBe('Saved the price of mistral-large.');

    const prices = await app.store.prices.all();
    expect(prices.find((p) => p.model === 'gpt-4o')?.inputPerMillion).toBe(2_750_000);
    expect(prices.find((p) => p.model === 'mistral-large')).toEqual({ model: 'mistral-large', provider: 'mistral', inputPerMillion: 2 * USD, outputPerMillion: 6 * USD });
  }, STEP_TIMEOUT);

  it('signs out, after which no admin page is reachable', async () => {
    chromium();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login\?signedOut=1$/);
    expect(await text('[role=status]')).toBe('You are signed out.');
    await screenshot(page, '10-signed-out');
    await page.goto(`${app.url}/admin/users/UADA0001`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  }, STEP_TIMEOUT);

  it('logged no browser errors on any page (no CSP refusals, no script errors)', () => {
    chromium();
    expect(consoleErrors).toEqual([]);
  });
});

describe('the admin page without JavaScript', () => {
  it('signs in, saves settings and resets with plain HTML forms', async () => {
    const noJs = await chromium().newContext({ javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await p.goto(`${app.url}/admin/login`);
      await p.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL(`${app.url}/admin`);

      await p.goto(`${app.url}/admin/users/UGRACE01`);
      await p.getByLabel('Limit per period (USD)').fill('75.50');
      await p.getByLabel('User can reset their own budget').check();
      await submit(p, p.getByRole('button', { name: 'Save settings' }));
      expect((await p.locator('[role=status]').textContent())?.trim()).toBe('Settings saved.');
      const saved = await app.services.settings.get(ROOT, 'UGRACE01');
      expect(saved.limitMicros).toBe(75_500_000);
      expect(saved.userCanResetBudget).toBe(true);

      // The confirmation box is required: without it nothing happens.
      await p.getByLabel('Reason').fill('New sprint');
      await submit(p, p.getByRole('button', { name: 'Reset budget' }));
      expect((await p.locator('#f-confirm-error').textContent())?.trim()).toContain('tick this box');
      expect((await app.services.status.status(ROOT, 'UGRACE01')).spentMicros).toBe(46 * USD);
      await p.getByLabel('Yes, reset this budget now').check();
      await submit(p, p.getByRole('button', { name: 'Reset budget' }));
      expect((await app.services.status.status(ROOT, 'UGRACE01')).spentMicros).toBe(0);
    } finally {
      await noJs.close();
    }
  }, STEP_TIMEOUT);
});
