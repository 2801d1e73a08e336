// Every admin form is protected against CSRF (csrf-sync, a synchroniser token in the server-side
// session): a signed-in admin's browser posting a form without the token, or with another
// session's token, gets 403 and nothing changes.
import { beforeAll, describe, expect, it } from 'vitest';
import { collectionCounts } from '../../helpers/services.js';
import { ADMIN_TOKEN, ROOT, USD, startAdminApp, type AdminApp } from './support/adminApp.js';
import { AdminClient } from './support/adminClient.js';

let app: AdminApp;
let admin: AdminClient;
let liveKeyId: string;

beforeAll(async () => {
  app = await startAdminApp();
  await app.services.settings.update(ROOT, 'UCAROL01', { limitMicros: 40 * USD, displayName: 'Carol' });
  await app.services.usage.record({ userId: 'UCAROL01', idempotencyKey: 'k1', model: 'openai/gpt-4o', costMicros: 5 * USD });
  liveKeyId = (await app.services.tokens.create(ROOT, { kind: 'service', name: 'gateway' })).token.id;
  admin = new AdminClient(app.url);
  expect((await admin.signIn(ADMIN_TOKEN)).status).toBe(303);
});

const FORMS: [string, Record<string, string | string[]>][] = [
  ['/admin/users/UCAROL01/settings', { limitUsd: '9000', thresholdYellow: '10', thresholdOrange: '20', thresholdRed: '30', enforceBudget: ['false'] }],
  ['/admin/users/UCAROL01/reset', { reason: 'forged reset', confirm: 'yes' }],
  ['/admin/keys', { kind: 'admin', name: 'forged key' }],
  ['/admin/keys/LIVE/revoke', {}],
  ['/admin/prices', { provider: 'openai', model: 'gpt-4o', inputUsd: '0', outputUsd: '0' }],
  ['/admin/prices/gpt-4o/delete', {}],
  ['/admin/logout', {}],
];

async function snapshot() {
  const carol = await app.services.settings.get(ROOT, 'UCAROL01');
  return {
    counts: await collectionCounts(app.db),
    carol: { limit: carol.limitMicros, spent: carol.spentMicros, enforce: carol.enforceBudget, seq: carol.periodSeq },
    tokens: (await app.store.tokens.list({ includeRevoked: true })).map((t) => [t.id, t.revokedAt]),
    gpt4o: await app.services.prices.find('gpt-4o'),
  };
}

describe('CSRF protection on every admin form', () => {
  it('refuses each form posted without the token with 403, changes nothing, and keeps the admin signed in', async () => {
    const before = await snapshot();
    for (const [path, form] of FORMS) {
      const res = await admin.post(path.replace('LIVE', liveKeyId), form);
      expect(res.status, path).toBe(403);
      expect(res.html, path).toContain('Form expired');
      expect(res.html, path).toContain('Nothing was changed.');
    }
    expect(await snapshot()).toEqual(before);
    // Not even sign-out happened: the session is intact.
    expect((await admin.get('/admin')).status).toBe(200);
  });

  it("refuses a wrong token and another session's token the same way", async () => {
    const before = await snapshot();
    const otherSession = new AdminClient(app.url);
    const foreignToken = await otherSession.csrfToken('/admin/login');
    for (const token of ['forged', foreignToken, '']) {
      for (const [path, form] of FORMS) {
        const res = await admin.post(path.replace('LIVE', liveKeyId), { ...form, _csrf: token });
        expect(res.status, `${path} with ${token.slice(0, 8)}`).toBe(403);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the same form with the token the page gave (the control case)', async () => {
    const csrf = await admin.csrfToken('/admin/users/UCAROL01');
    const res = await admin.post('/admin/users/UCAROL01/reset', { reason: 'legitimate reset', confirm: 'yes', _csrf: csrf });
    expect(res.status).toBe(303);
    expect((await app.services.status.status(ROOT, 'UCAROL01')).spentMicros).toBe(0);
  });
});
