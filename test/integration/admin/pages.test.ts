// The admin pages over plain HTTP (what a browser without JavaScript gets): what each page shows,
// how each form answers good and bad input, and that a refused form saves nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, ROOT, USD, startAdminApp, type AdminApp } from './support/adminApp.js';
import { AdminClient, csrfTokenIn, fieldErrorIn } from './support/adminClient.js';
import { seedWorkspace } from './support/seed.js';

let app: AdminApp;
let admin: AdminClient;
let csrf: string;

beforeAll(async () => {
  app = await startAdminApp();
  await seedWorkspace(app.services);
  admin = new AdminClient(app.url);
  expect((await admin.signIn(ADMIN_TOKEN)).status).toBe(303);
  csrf = csrfTokenIn((await admin.get('/admin')).html);
});

const rowsIn = (html: string) => [...html.matchAll(/<tr>\s*<th scope="row">\s*<a href="\/admin\/users\/([A-Z0-9]+)"/g)].map((m) => m[1]);

describe('every page', () => {
  it('renders with a strict CSP: no inline script, chart data as JSON, assets from this server', async () => {
    for (const path of ['/admin', '/admin/users', '/admin/users/UADA0001', '/admin/keys', '/admin/prices']) {
      const res = await fetch(`${app.url}${path}`, { headers: { cookie: admin.sessionCookie ?? '' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline\';script');
      const html = await res.text();
      for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag, path).toMatch(/ src="\/admin\/assets\/|type="application\/json"/);
      expect(html, path).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
      expect(html, path).toMatch(/<th scope="col"|<label for=/);
    }
  });

  it('answers an unknown admin page with an HTML 404 and a bad address with a 400 that says why', async () => {
    const missing = await admin.get('/admin/nope');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('There is no admin page at /admin/nope.');
    const badLevel = await admin.get('/admin/users?level=purple');
    expect(badLevel.status).toBe(400);
    expect(badLevel.html).toContain('bad parameters');
    const badId = await admin.get('/admin/users/no%20spaces');
    expect(badId.status).toBe(400);
    expect(badId.html).toContain('Invalid user id');
  });
});

describe('the overview page', () => {
  it('shows the totals, the providers, the levels and the chart data', async () => {
    const page = await admin.get('/admin');
    expect(page.html).toContain('$233.34');
    expect(page.html).toContain('of $450.00 in limits');
    const json = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(page.html)?.[1] ?? '';
    const data = JSON.parse(json) as { daily: { labels: string[]; values: number[] }; providers: { labels: string[]; values: number[] } };
    expect(data.providers).toEqual({ labels: ['anthropic', 'openai', 'google'], values: [91.1, 84.74, 57.5] });
    expect(data.daily.labels).toHaveLength(30);
    expect(data.daily.values.reduce((a, b) => a + b, 0)).toBeCloseTo(233.34, 2);
  });
});

describe('the users page', () => {
  it('sorts by % used by default, and by spend or name on request', async () => {
    expect(rowsIn((await admin.get('/admin/users')).html)).toEqual(['ULINUS01', 'UGRACE01', 'UMARG001', 'UBARB001', 'UADA0001']);
    expect(rowsIn((await admin.get('/admin/users?sort=spend')).html)).toEqual(['UBARB001', 'UMARG001', 'UGRACE01', 'ULINUS01', 'UADA0001']);
    expect(rowsIn((await admin.get('/admin/users?sort=name')).html)).toEqual(['UADA0001', 'UBARB001', 'UGRACE01', 'ULINUS01', 'UMARG001']);
    expect(rowsIn((await admin.get('/admin/users?sort=name&order=desc')).html)).toEqual(['UMARG001', 'ULINUS01', 'UGRACE01', 'UBARB001', 'UADA0001']);
  });

  it('searches by name, email or id, and filters by level', async () => {
    expect(rowsIn((await admin.get('/admin/users?q=hopper')).html)).toEqual(['UGRACE01']);
    expect(rowsIn((await admin.get('/admin/users?q=margaret%40example')).html)).toEqual(['UMARG001']);
    expect(rowsIn((await admin.get('/admin/users?q=ULINUS')).html)).toEqual(['ULINUS01']);
    expect(rowsIn((await admin.get('/admin/users?level=over')).html)).toEqual(['ULINUS01']);
    const none = await admin.get('/admin/users?q=nobody&level=green');
    expect(rowsIn(none.html)).toEqual([]);
    expect(none.html).toContain('No users match these filters.');
  });

  it('shows a spend bar per user, coloured by level', async () => {
    const html = (await admin.get('/admin/users?q=grace')).html;
    expect(html).toContain('<progress class="spend-bar level-red" value="92" max="100" aria-label="92% of the limit used"></progress>');
  });

  it('pages through many users', async () => {
    for (let i = 0; i < 22; i++) await app.services.settings.update(ROOT, `UPAGE${String(i).padStart(3, '0')}`, { displayName: `Pager ${String(i).padStart(2, '0')}` });
    const first = await admin.get('/admin/users?sort=name');
    expect(rowsIn(first.html)).toHaveLength(25);
    expect(first.html).toContain('Showing 1–25 of 27');
    const next = /href="(\/admin\/users\?[^"]*cursor=[^"]*)"/.exec(first.html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const second = await admin.get(next);
    expect(rowsIn(second.html)).toHaveLength(2);
    expect(second.html).toContain('Showing 26–27 of 27');
    expect(second.html).toContain('« First page');
    expect(second.html).not.toContain('Next page');
  });

  it('opens a user by Slack id, or says what is wrong with the id', async () => {
    const open = await admin.get('/admin/users?open=UNEW0001');
    expect(open.status).toBe(303);
    expect(open.location).toBe('/admin/users/UNEW0001');
    const bad = await admin.get('/admin/users?open=not%20an%20id');
    expect(bad.status).toBe(200);
    expect(fieldErrorIn(bad.html, 'open')).toContain('Slack user id must be 2-64 letters');
  });
});

describe('the user page', () => {
  it('shows where the budget stands, the breakdown, the history and the audit log', async () => {
    const page = (await admin.get('/admin/users/UGRACE01')).html;
    expect(page).toContain('Grace Hopper');
    expect(page).toContain('$46.00');
    expect(page).toContain('anthropic/claude-opus-4-1');
    expect(page).toContain('value="50.00"');
    expect(page).toContain('Display name:</strong> — → Grace Hopper');
    const week = (await admin.get('/admin/users/UGRACE01?range=7d')).html;
    expect(week).toContain('aria-current="page">Last 7 days');
  });

  it('refuses a bad form with errors by the fields, keeps what was typed, and saves nothing', async () => {
    const before = await app.services.settings.get(ROOT, 'UMARG001');
    const auditBefore = (await app.services.history.settingsChanges(ROOT, 'UMARG001')).items.length;
    const res = await admin.post('/admin/users/UMARG001/settings', {
      _csrf: csrf,
      limitUsd: '10,001',
      thresholdYellow: '80',
      thresholdOrange: '60',
      thresholdRed: '95',
      timezone: 'Nowhere/Special',
      displayName: 'Maggie',
    });
    expect(res.status).toBe(422);
    expect(fieldErrorIn(res.html, 'limitUsd')).toBe('must be at most $10,000');
    expect(fieldErrorIn(res.html, 'thresholdOrange')).toBe('must be greater than yellow');
    expect(fieldErrorIn(res.html, 'timezone')).toBe('must be an IANA time zone such as Europe/Berlin');
    expect(fieldErrorIn(res.html, 'thresholdRed')).toBeNull();
    expect(res.html).toContain('Nothing was saved.');
    expect(res.html).toContain('<a href="#f-limitUsd">Limit per period (USD): must be at most $10,000</a>');
    expect(res.html).toContain('value="10,001"');
    expect(res.html).toContain('value="Maggie"');
    expect(await app.services.settings.get(ROOT, 'UMARG001')).toEqual(before);
    expect((await app.services.history.settingsChanges(ROOT, 'UMARG001')).items.length).toBe(auditBefore);
  });

  it('saves every setting of the form through the settings service, with one audit entry', async () => {
    const res = await admin.post('/admin/users/UBARB001/settings', {
      _csrf: csrf,
      displayName: 'Barbara L.',
      email: 'bl@example.com',
      limitUsd: '250',
      limitCeilingUsd: '300',
      periodType: 'monthly',
      periodAnchor: '2025-01-15',
      customPeriodDays: '30',
      timezone: 'America/New_York',
      thresholdYellow: '30',
      thresholdOrange: '60',
      thresholdRed: '85',
      enforceBudget: ['false'],
      autoFallback: ['false'],
      fallbackModel: 'ollama/qwen2.5',
      role: 'admin',
      budgetVisibleToUser: ['false', 'true'],
      userCanModifyLimit: ['false', 'true'],
      userCanResetBudget: ['false'],
      adminNotes: 'Research lead',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/users/UBARB001');
    const saved = await app.services.settings.get(ROOT, 'UBARB001');
    expect(saved).toMatchObject({
      displayName: 'Barbara L.',
      email: 'bl@example.com',
      limitMicros: 250 * USD,
      limitCeilingMicros: 300 * USD,
      periodType: 'monthly',
      periodAnchor: '2025-01-15',
      timezone: 'America/New_York',
      thresholds: { yellow: 30, orange: 60, red: 85 },
      enforceBudget: false,
      autoFallback: false,
      fallbackModel: 'ollama/qwen2.5',
      role: 'admin',
      budgetVisibleToUser: true,
      userCanModifyLimit: true,
      userCanResetBudget: false,
      adminNotes: 'Research lead',
    });
    const [entry] = (await app.services.history.settingsChanges(ROOT, 'UBARB001')).items;
    expect(entry).toMatchObject({ actorKind: 'admin', actorId: 'ADMIN_API_TOKEN' });
    expect(entry?.changes.map((c) => c.field)).toContain('role');
    const page = await admin.get('/admin/users/UBARB001');
    expect(page.html).toContain('Settings saved.');

    // Saving the same form again changes nothing and writes no audit entry.
    const count = (await app.services.history.settingsChanges(ROOT, 'UBARB001')).items.length;
    const again = await admin.post('/admin/users/UBARB001/settings', { _csrf: csrf, limitUsd: '250.00', adminNotes: 'Research lead' });
    expect(again.status).toBe(303);
    expect((await app.services.history.settingsChanges(ROOT, 'UBARB001')).items.length).toBe(count);
  });

  it('resets only with a reason and the confirmation box, and then shows the entry', async () => {
    const spent = (await app.services.status.status(ROOT, 'UMARG001')).spentMicros;
    const noReason = await admin.post('/admin/users/UMARG001/reset', { _csrf: csrf, reason: ' ', confirm: 'yes' });
    expect(noReason.status).toBe(422);
    expect(fieldErrorIn(noReason.html, 'reason')).toBe('a reason is required (at least 3 characters)');
    const unconfirmed = await admin.post('/admin/users/UMARG001/reset', { _csrf: csrf, reason: 'new quarter' });
    expect(unconfirmed.status).toBe(422);
    expect(fieldErrorIn(unconfirmed.html, 'confirm')).toBe('tick this box to confirm the reset');
    expect(unconfirmed.html).toContain('>new quarter</textarea>');
    expect((await app.services.status.status(ROOT, 'UMARG001')).spentMicros).toBe(spent);

    const done = await admin.post('/admin/users/UMARG001/reset', { _csrf: csrf, reason: 'new quarter', confirm: 'yes' });
    expect(done.status).toBe(303);
    expect((await app.services.status.status(ROOT, 'UMARG001')).spentMicros).toBe(0);
    const page = await admin.get('/admin/users/UMARG001');
    expect(page.html).toContain('Budget reset. $60.00 was spent in the period that ended');
    expect(page.html).toMatch(/<td>Manual<\/td>\s*<td>ADMIN_API_TOKEN<\/td>\s*<td>new quarter<\/td>/);
  });
});

describe('the API keys page', () => {
  it('needs a user id for a user key, and shows each error by its field', async () => {
    const res = await admin.post('/admin/keys', { _csrf: csrf, kind: 'user', userId: '', name: 'Ada laptop' });
    expect(res.status).toBe(422);
    expect(fieldErrorIn(res.html, 'userId')).toBe('is required for user tokens and not allowed for admin and service tokens');
    expect(res.html).toContain('value="Ada laptop"');
    const badKind = await admin.post('/admin/keys', { _csrf: csrf, kind: 'root' });
    expect(badKind.status).toBe(422);
    expect(fieldErrorIn(badKind.html, 'kind')).toBe('must be one of admin, service, user');
  });

  it('shows a new key once and never stores or shows it again', async () => {
    const res = await admin.post('/admin/keys', { _csrf: csrf, kind: 'user', userId: 'UADA0001', name: 'Ada laptop' });
    expect(res.status).toBe(201);
    const secret = /id="new-key-value"[^>]* value="([^"]+)"/.exec(res.html)?.[1] ?? '';
    expect(secret).toMatch(/^bb_usr_/);
    expect(await app.services.tokens.authenticate(secret)).toEqual({ kind: 'user', userId: 'UADA0001' });
    const list = await admin.get('/admin/keys');
    expect(list.html).not.toContain(secret);
    expect(list.html).toContain(secret.slice(0, 12));
    expect(JSON.stringify(await app.db.connection.collection('api_tokens').find({}).toArray())).not.toContain(secret);
  });

  it('says so when revoking a key that does not exist (or is already revoked)', async () => {
    const res = await admin.post('/admin/keys/000000000000000000000000/revoke', { _csrf: csrf });
    expect(res.status).toBe(404);
    expect(res.html).toContain('No live API token with id 000000000000000000000000');
  });
});

describe('the model prices page', () => {
  it('refuses bad prices by field and saves nothing', async () => {
    const before = await app.store.prices.all();
    const res = await admin.post('/admin/prices', { _csrf: csrf, provider: '', model: 'Open AI', inputUsd: 'free', outputUsd: '1' });
    expect(res.status).toBe(422);
    expect(fieldErrorIn(res.html, 'provider')).toContain('must be a provider name');
    expect(fieldErrorIn(res.html, 'model')).toContain('must be a model name');
    expect(fieldErrorIn(res.html, 'inputUsd')).toBe('must be an amount in dollars, like 25 or 12.50');
    expect(res.html).toContain('value="free"');
    expect(await app.store.prices.all()).toEqual(before);
  });

  it('edits, adds and removes prices, and answers 404 for a model it does not know', async () => {
    const edit = await admin.get('/admin/prices/o3');
    expect(edit.html).toContain('Edit o3');
    expect(edit.html).toContain('value="2.00"');
    expect((await admin.post('/admin/prices', { _csrf: csrf, editing: 'yes', provider: 'openai', model: 'o3', inputUsd: '1.5', outputUsd: '6' })).status).toBe(303);
    // Read from the store: the test's own PriceBook caches, the app's was refreshed by the save.
    const o3 = async () => (await app.store.prices.all()).find((p) => p.model === 'o3');
    expect(await o3()).toEqual({ model: 'o3', provider: 'openai', inputPerMillion: 1_500_000, outputPerMillion: 6_000_000 });

    expect((await admin.post('/admin/prices/o3/delete', { _csrf: csrf })).status).toBe(303);
    expect(await o3()).toBeUndefined();
    expect((await admin.post('/admin/prices/o3/delete', { _csrf: csrf })).status).toBe(404);
    expect((await admin.get('/admin/prices/no-such-model')).status).toBe(404);
  });
});

describe('what people typed', () => {
  it('escapes a display name: it cannot inject markup', async () => {
    await app.services.settings.update(ROOT, 'UEVIL001', { displayName: '</script><script>alert(1)</script>' });
    const page = await admin.get('/admin/users/UEVIL001');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const users = await admin.get('/admin/users?q=UEVIL');
    expect(users.html).not.toContain('<script>alert(1)');
  });

  it('escapes a provider name inside the chart data: it cannot end the JSON script tag', async () => {
    await app.services.usage.record({ userId: 'UEVIL001', idempotencyKey: 'evil', model: 'x-model', provider: '</script><b>evil', costMicros: USD });
    const html = (await admin.get('/admin')).html;
    expect(html).not.toContain('</script><b>evil');
    const json = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect((JSON.parse(json) as { providers: { labels: string[] } }).providers.labels).toContain('</script><b>evil');
  });
});
