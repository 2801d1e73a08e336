// One-time sign-in links (`/budget admin login` in Slack): only for admins, stored hashed, usable
// once, for ten minutes. On the page, the GET only shows a button (link previewers must not use the
// link up); the POST signs in.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/domain/errors.js';
import { LOGIN_LINK_TTL_MS } from '../../../src/services/adminLogin.js';
import { ADMIN_ID, useServices, type ServiceFixture } from '../../helpers/services.js';
import { ADMIN_SLACK_ID, ROOT, startAdminApp, type AdminApp } from './support/adminApp.js';
import { AdminClient } from './support/adminClient.js';

describe('the admin login link service', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await useServices('2025-06-10T12:00:00Z');
  });

  it('makes a link for a configured Slack admin, an admin-role user and an admin key; stores only a hash', async () => {
    await f.services.settings.update(ROOT, 'UROLE001', { role: 'admin' });
    for (const actor of [{ kind: 'user', userId: ADMIN_ID }, { kind: 'user', userId: 'UROLE001' }, { kind: 'admin', id: 'key1' }] as const) {
      const link = await f.services.adminLogin.createLoginLink(actor);
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(link.path).toBe(`/admin/login/${link.token}`);
      expect(link.expiresAt.toISOString()).toBe('2025-06-10T12:10:00.000Z');
      const stored = await f.db.connection.collection('admin_login_links').findOne({ hash: createHash('sha256').update(link.token).digest('hex') });
      expect(stored).not.toBeNull();
      expect(JSON.stringify(stored)).not.toContain(link.token);
    }
  });

  it('refuses people who are not admins, services and the scheduler', async () => {
    for (const actor of [{ kind: 'user', userId: 'UPLAIN01' }, { kind: 'service', id: 'gw' }, { kind: 'system', id: 'scheduler' }] as const) {
      await expect(f.services.adminLogin.createLoginLink(actor)).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it('signs in once, never twice, and not after ten minutes', async () => {
    const admin = { kind: 'user', userId: ADMIN_ID } as const;
    const first = await f.services.adminLogin.createLoginLink(admin);
    expect(await f.services.adminLogin.consume(first.token)).toEqual(admin);
    expect(await f.services.adminLogin.consume(first.token)).toBeNull();

    // Requests racing with one link: exactly one signs in, every time.
    for (let round = 0; round < 20; round++) {
      const racing = await f.services.adminLogin.createLoginLink(admin);
      const results = await Promise.all(Array.from({ length: 5 }, () => f.services.adminLogin.consume(racing.token)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }

    const late = await f.services.adminLogin.createLoginLink(admin);
    f.clock.advance(LOGIN_LINK_TTL_MS);
    expect(await f.services.adminLogin.consume(late.token)).toBeNull();
    expect(await f.services.adminLogin.consume('not-a-token')).toBeNull();
    expect(await f.services.adminLogin.consume('A'.repeat(43))).toBeNull();
  });

  it('does not sign in someone whose admin role was taken away after the link was made', async () => {
    await f.services.settings.update(ROOT, 'UFORMER1', { role: 'admin' });
    const link = await f.services.adminLogin.createLoginLink({ kind: 'user', userId: 'UFORMER1' });
    await f.services.settings.update(ROOT, 'UFORMER1', { role: 'user' });
    expect(await f.services.adminLogin.consume(link.token)).toBeNull();
  });
});

describe('the sign-in link on the admin page', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });

  it('shows a button on GET without using the link, and signs in on POST, once', async () => {
    const link = await app.services.adminLogin.createLoginLink({ kind: 'user', userId: ADMIN_SLACK_ID });
    const client = new AdminClient(app.url);

    // A previewer fetching the link twice uses nothing up.
    for (let i = 0; i < 2; i++) {
      const page = await client.get(link.path);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Sign in with your link');
    }
    const csrf = await client.csrfToken(link.path);
    const res = await client.post(link.path, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin');
    const overview = await client.get('/admin');
    expect(overview.status).toBe(200);
    expect(overview.html).toContain(`Signed in as <strong>${ADMIN_SLACK_ID}</strong>`);

    // Settings changed through the page are audited as that person.
    const page = await client.get('/admin/users/UDAVE001');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    expect((await client.post('/admin/users/UDAVE001/settings', { _csrf: token, limitUsd: '12' })).status).toBe(303);
    const [entry] = (await app.services.history.settingsChanges(ROOT, 'UDAVE001')).items;
    expect(entry).toMatchObject({ actorKind: 'user', actorId: ADMIN_SLACK_ID });

    const again = new AdminClient(app.url);
    const againCsrf = await again.csrfToken(link.path);
    const second = await again.post(link.path, { _csrf: againCsrf });
    expect(second.status).toBe(401);
    expect(second.html).toContain('This sign-in link has expired or was already used');
    expect((await again.get('/admin')).status).toBe(303);
  });
});
