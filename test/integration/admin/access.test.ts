// Who can reach the admin page: nobody without an admin session (pages redirect to sign-in, actions
// get 401), sign-in takes only admin tokens, sessions are server-side with a safe cookie, are
// regenerated at sign-in, end at sign-out and after idling, and failed sign-ins are rate-limited.
import { beforeAll, describe, expect, it } from 'vitest';
import { collectionCounts } from '../../helpers/services.js';
import { ADMIN_TOKEN, ROOT, USD, startAdminApp, startAdminRouter, type AdminApp } from './support/adminApp.js';
import { AdminClient, csrfTokenIn } from './support/adminClient.js';

let app: AdminApp;
beforeAll(async () => {
  app = await startAdminApp();
  await app.services.settings.update(ROOT, 'UALICE01', { limitMicros: 40 * USD, displayName: 'Alice' });
});

const PAGES = ['/admin', '/admin/users', '/admin/users/UALICE01', '/admin/keys', '/admin/prices', '/admin/prices/gpt-4o', '/admin/no-such-page'];
const ACTIONS: [string, Record<string, string>][] = [
  ['/admin/users/UALICE01/settings', { limitUsd: '9999' }],
  ['/admin/users/UALICE01/reset', { reason: 'sneaky reset', confirm: 'yes' }],
  ['/admin/keys', { kind: 'admin', name: 'backdoor' }],
  ['/admin/keys/000000000000000000000000/revoke', {}],
  ['/admin/prices', { provider: 'openai', model: 'gpt-4o', inputUsd: '0', outputUsd: '0' }],
  ['/admin/prices/gpt-4o/delete', {}],
];

describe('without an admin session', () => {
  it('every page redirects to the sign-in page, and back there after signing in', async () => {
    const client = new AdminClient(app.url);
    for (const path of PAGES) {
      const res = await client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location, path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('every action is refused (401 with a session but no sign-in, 403 without even a CSRF token) and changes nothing', async () => {
    const before = await collectionCounts(app.db);
    const tokensBefore = (await app.store.tokens.list({ includeRevoked: true })).length;

    // A visitor who loaded the sign-in page has a session and a valid CSRF token, but is no admin.
    const visitor = new AdminClient(app.url);
    const csrf = await visitor.csrfToken('/admin/login');
    for (const [path, form] of ACTIONS) {
      const res = await visitor.post(path, { ...form, _csrf: csrf });
      expect(res.status, path).toBe(401);
      expect(res.html, path).toContain('This action needs an admin session');
    }
    // Someone with no session at all (e.g. a cross-site form) fails the CSRF check first.
    const stranger = new AdminClient(app.url);
    for (const [path, form] of ACTIONS) expect((await stranger.post(path, form)).status, path).toBe(403);

    expect(await collectionCounts(app.db)).toEqual(before);
    expect((await app.store.tokens.list({ includeRevoked: true })).length).toBe(tokensBefore);
    expect((await app.services.settings.get(ROOT, 'UALICE01')).limitMicros).toBe(40 * USD);
    expect((await app.services.prices.find('gpt-4o'))?.inputPerMillion).toBe(2_500_000);
  });

  it('only the admin page routes are behind the gate: the stylesheet and chart library load without a session', async () => {
    for (const [path, type] of [
      ['/admin/assets/vendor/pico.min.css', 'text/css'],
      ['/admin/assets/vendor/chart.umd.min.js', 'javascript'],
      ['/admin/assets/admin.css', 'text/css'],
      ['/admin/assets/charts.js', 'javascript'],
    ] as const) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
      expect((await res.text()).length, path).toBeGreaterThan(100);
    }
    expect((await fetch(`${app.url}/admin/assets/../../package.json`)).status).not.toBe(200);
  });
});

describe('signing in', () => {
  it('accepts ADMIN_API_TOKEN and an admin API key, refuses service and user keys and nonsense', async () => {
    const adminKey = await app.services.tokens.create(ROOT, { kind: 'admin', name: 'ops' });
    const serviceKey = await app.services.tokens.create(ROOT, { kind: 'service', name: 'gateway' });
    const userKey = await app.services.tokens.create(ROOT, { kind: 'user', userId: 'UALICE01' });

    for (const token of [ADMIN_TOKEN, adminKey.secret]) {
      const client = new AdminClient(app.url);
      const res = await client.signIn(token);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/admin');
      expect((await client.get('/admin')).status).toBe(200);
    }
    for (const token of [serviceKey.secret, userKey.secret, 'nonsense', `${ADMIN_TOKEN}x`]) {
      const client = new AdminClient(app.url);
      const res = await client.signIn(token);
      expect(res.status).toBe(401);
      expect(res.html).toContain('That is not a valid admin token');
      expect((await client.get('/admin')).status).toBe(303);
    }
    const empty = new AdminClient(app.url);
    const res = await empty.signIn('');
    expect(res.status).toBe(400);
    expect(res.html).toContain('Enter an admin token.');
  });

  it('follows ?next= to an admin page only, never elsewhere', async () => {
    for (const [next, expected] of [
      ['/admin/users?level=red', '/admin/users?level=red'],
      ['https://evil.example/admin', '/admin'],
      ['//evil.example/admin', '/admin'],
      ['/admin/../../elsewhere', '/admin'],
      ['/administrator', '/admin'],
    ] as const) {
      const client = new AdminClient(app.url);
      const csrf = await client.csrfToken(`/admin/login?next=${encodeURIComponent(next)}`);
      const res = await client.post('/admin/login', { _csrf: csrf, token: ADMIN_TOKEN, next });
      expect(res.location, next).toBe(expected);
    }
  });

  it('keeps the session server-side: the cookie is HttpOnly, SameSite=Lax, scoped to /admin, and expires', async () => {
    const client = new AdminClient(app.url);
    const res = await client.signIn(ADMIN_TOKEN);
    const cookie = res.setCookie.find((c) => c.startsWith('budgetbot_admin='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/admin/);
    expect(cookie).toMatch(/; Expires=/);
    // Plain HTTP without a trusted proxy: not Secure (or the browser would drop it).
    expect(cookie).not.toMatch(/; Secure/);
    // The cookie holds only the signed session id; the session is a document in MongoDB.
    const value = decodeURIComponent((cookie ?? '').split(';')[0]?.split('=')[1] ?? '');
    expect(value).toMatch(/^s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9+/]{43}$/);
    expect(await app.db.connection.collection('admin_sessions').countDocuments()).toBeGreaterThan(0);
  });

  it('gives a new session id at sign-in (no session fixation) and ends it at sign-out', async () => {
    const client = new AdminClient(app.url);
    await client.csrfToken('/admin/login');
    const anonymous = client.sessionCookie;
    expect(anonymous).not.toBeNull();
    await client.signIn(ADMIN_TOKEN);
    const signedIn = client.sessionCookie;
    expect(signedIn).not.toBe(anonymous);

    // The pre-sign-in id is not signed in.
    const fixated = new AdminClient(app.url);
    fixated.useCookie(anonymous);
    expect((await fixated.get('/admin')).status).toBe(303);

    const page = await client.get('/admin');
    const out = await client.post('/admin/logout', { _csrf: csrfTokenIn(page.html) });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/admin/login?signedOut=1');
    expect(out.setCookie.some((c) => c.startsWith('budgetbot_admin=;'))).toBe(true);

    // Replaying the signed-in cookie after sign-out gets nowhere: the session is gone server-side.
    const replay = new AdminClient(app.url);
    replay.useCookie(signedIn);
    expect((await replay.get('/admin')).status).toBe(303);
  });

  it('ends the sessions of an admin key when it is revoked', async () => {
    const key = await app.services.tokens.create(ROOT, { kind: 'admin', name: 'temp' });
    const client = new AdminClient(app.url);
    expect((await client.signIn(key.secret)).status).toBe(303);
    expect((await client.get('/admin/keys')).status).toBe(200);
    await app.services.tokens.revoke(ROOT, key.token.id);
    expect((await client.get('/admin/keys')).status).toBe(303);
  });

  it('ends the session of a Slack admin whose admin role was taken away', async () => {
    await app.services.settings.update(ROOT, 'UBOSS001', { role: 'admin' });
    const link = await app.services.adminLogin.createLoginLink({ kind: 'user', userId: 'UBOSS001' });
    const client = new AdminClient(app.url);
    const csrf = await client.csrfToken(link.path);
    expect((await client.post(link.path, { _csrf: csrf })).location).toBe('/admin');
    expect((await client.get('/admin/users')).status).toBe(200);

    await app.services.settings.update(ROOT, 'UBOSS001', { role: 'user' });
    const res = await client.get('/admin/users');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/login?next=%2Fadmin%2Fusers');
  });
});

describe('session limits', () => {
  it('sends the Secure flag when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await startAdminRouter({}, { TRUST_PROXY: 'true' });
    const client = new AdminClient(proxied.url);
    const res = await client.get('/admin/login', { 'x-forwarded-proto': 'https' });
    expect(res.setCookie.find((c) => c.startsWith('budgetbot_admin='))).toMatch(/; Secure/);
  });

  it('ends a session that has been idle too long', async () => {
    const short = await startAdminRouter({ idleTimeoutMs: 1_000 });
    const client = new AdminClient(short.url);
    await client.signIn(ADMIN_TOKEN);
    expect((await client.get('/admin/users')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const res = await client.get('/admin/users');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/login?next=%2Fadmin%2Fusers');
  });

  it('checks the expiry recorded in the session itself, even where the store keeps sessions too long', async () => {
    // jongodb never runs TTL indexes; this stands for any store that hands back an old session.
    const short = await startAdminRouter({ idleTimeoutMs: 1_000 });
    const client = new AdminClient(short.url);
    await client.signIn(ADMIN_TOKEN);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await short.db.connection.collection('admin_sessions').updateMany({}, { $set: { expires: new Date(Date.now() + 3_600_000) } });
    const res = await client.get('/admin/users');
    expect(res.status).toBe(303);
    const login = await client.get(res.location ?? '');
    expect(login.html).toContain('Your session expired. Sign in again.');
  });

  it('ends a session at its absolute limit however busy it is', async () => {
    const short = await startAdminRouter({ absoluteTimeoutMs: 1_000 });
    const client = new AdminClient(short.url);
    await client.signIn(ADMIN_TOKEN);
    for (let i = 0; i < 4; i++) {
      expect((await client.get('/admin/users')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await client.get('/admin/users')).status).toBe(303);
  });

  it('rate-limits failed sign-ins per client, counting only failures', async () => {
    const limited = await startAdminRouter({ signInAttempts: 3 });
    // Successes do not count towards the limit.
    for (let i = 0; i < 4; i++) expect((await new AdminClient(limited.url).signIn(ADMIN_TOKEN)).status).toBe(303);
    const client = new AdminClient(limited.url);
    for (let i = 0; i < 3; i++) expect((await client.signIn('wrong-token')).status).toBe(401);
    // Then even the right token is turned away until the window has passed.
    const blocked = await client.signIn(ADMIN_TOKEN);
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain('Too many failed attempts');
    // One-time links are behind the same limit (and the limit is per client, not per session).
    const other = new AdminClient(limited.url);
    const csrf = await other.csrfToken('/admin/login');
    expect((await other.post('/admin/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { _csrf: csrf })).status).toBe(429);
  });
});
