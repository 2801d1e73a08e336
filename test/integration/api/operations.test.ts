// What runs around the routes: per-token rate limits, request logs without tokens, security headers,
// and the reference page at /api/docs served from this server.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE } from '../../../src/http/api/auth.js';
import { createLogger } from '../../../src/logger.js';
import { ADMIN_TOKEN, errorCode, startApi, type ApiHarness } from './harness.js';

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    done();
  }
}

const PER_MINUTE = 3;
const logs = new Capture();
let api: ApiHarness;
let docsBase: string;

beforeAll(async () => {
  api = await startApi({ logger: createLogger('info', logs) });
  docsBase = api.url.replace(/\/v1$/, '/docs');
});
afterAll(async () => {
  await api.stop();
});

describe('rate limits', () => {
  it(`each token gets API_RATE_LIMIT_PER_MINUTE requests a minute; then 429 in the error shape, and other tokens are unaffected`, async () => {
    // An app of its own: the admin token that makes the tokens counts against the limit too.
    const limitedApi = await startApi({ env: { API_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) } });
    try {
      const [one, two] = [await limitedApi.token('service'), await limitedApi.token('service')];
      for (let i = 0; i < PER_MINUTE; i++) {
        expect((await limitedApi.call('GET', '/budget/status?user_id=URATE001', { token: one.token })).status).toBe(200);
      }
      const limited = await limitedApi.call('GET', '/budget/status?user_id=URATE001', { token: one.token });
      expect(limited.status).toBe(429);
      expect(errorCode(limited)).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('ratelimit-policy')).toContain(`${PER_MINUTE}`);
      expect((await limitedApi.call('GET', '/budget/status?user_id=URATE001', { token: two.token })).status).toBe(200);
    } finally {
      await limitedApi.stop();
    }
  });

  it('too many failed authentications from one address are 429, and valid tokens from it still work', async () => {
    const valid = await api.token('service');
    const bad = { token: `bb_svc_${'b'.repeat(43)}` };
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) expect((await api.call('GET', '/budget/status', bad)).status).toBe(401);
    const blocked = await api.call('GET', '/budget/status', bad);
    expect(blocked.status).toBe(429);
    expect(errorCode(blocked)).toBe('rate_limited');
    expect((await api.call('GET', '/budget/status?user_id=URATE002', { token: valid.token })).status).toBe(200);
  });
});

describe('request logs', () => {
  it('log every request with method, path, status and caller, and never a token', async () => {
    const user = await api.token('user', 'ULOGGED1');
    const res = await api.call('GET', '/budget/status', { token: user.token });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Mistakes a client could make: a token in the URL, a token as the body.
    await api.call('GET', `/budget/status?token=${user.token}`, { token: user.token });
    await api.call('POST', '/budget/check', { token: ADMIN_TOKEN, body: { user_id: 'ULOGGED1', model: 'gpt-4o', note: user.token } });

    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => (l.req as { id?: string } | undefined)?.id === requestId);
    expect(line).toMatchObject({
      req: { method: 'GET', url: '/api/v1/budget/status' },
      res: { statusCode: 200 },
      actor: { kind: 'user', id: 'ULOGGED1' },
      msg: 'request completed',
    });
    const all = logs.lines.join('\n');
    expect(all).toContain('/api/v1/budget/status?token=bb_usr_[redacted]');
    expect(all).not.toContain(user.token);
    expect(all).not.toContain(user.token.slice(7));
    expect(all).not.toContain(ADMIN_TOKEN);
    expect(all).not.toMatch(/authorization/i);
  });
});

describe('headers and the reference page', () => {
  it('API answers carry helmet security headers and JSON', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('/api/docs is an HTML page that loads only this server\'s scripts and styles, under a CSP that allows them', async () => {
    const res = await fetch(docsBase);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('data-spec-url="/api/v1/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    // No inline script: every <script> has a src on this server.
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\//);
      expect(content?.trim()).toBe('');
    }
    const assets = [...html.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/init.js', '/api/docs/swagger-ui.css']));
    const origin = new URL(docsBase).origin;
    for (const asset of assets) {
      const got = await fetch(`${origin}${asset}`);
      expect(got.status, asset).toBe(200);
      expect((await got.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it('/api/docs serves only the files the page needs', async () => {
    for (const path of ['/swagger-initializer.js', '/index.html', '/package.json', '/..%2Fpackage.json']) {
      expect((await fetch(`${docsBase}${path}`)).status, path).toBe(404);
    }
  });
});
