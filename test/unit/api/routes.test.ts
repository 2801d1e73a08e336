// The route definitions themselves: unique, well-formed, and validated before their handler runs.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../src/domain/errors.js';
import { expressPath, methodsAt } from '../../../src/http/api/mount.js';
import { defineRoute } from '../../../src/http/api/route.js';
import { API_ROUTES } from '../../../src/http/api/routes/index.js';
import type { Services } from '../../../src/services/index.js';

describe('API_ROUTES', () => {
  it('has one operation per method and path, each with a unique operationId', () => {
    const keys = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = API_ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every route of SPEC section 3', () => {
    expect(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual(
      [
        'GET /budget/status',
        'GET /budget/settings',
        'PUT /budget/settings',
        'POST /budget/reset',
        'GET /budget/usage/breakdown',
        'GET /budget/history',
        'PUT /budget/admin/configure',
        'GET /budget/admin/users',
        'POST /budget/admin/reset/{user_id}',
        'POST /usage',
        'POST /budget/check',
        'POST /admin/tokens',
        'GET /admin/tokens',
        'DELETE /admin/tokens/{id}',
        'GET /openapi.json',
      ].sort(),
    );
  });

  it('only the OpenAPI document is public', () => {
    expect(API_ROUTES.filter((r) => r.auth === 'public').map((r) => r.operationId)).toEqual(['getOpenApiDocument']);
  });
});

describe('paths', () => {
  it('turns OpenAPI parameters into Express ones', () => {
    expect(expressPath('/budget/admin/reset/{user_id}')).toBe('/budget/admin/reset/:user_id');
    expect(expressPath('/budget/status')).toBe('/budget/status');
  });

  it('knows which methods a path is served with (for 405)', () => {
    const methods = methodsAt(API_ROUTES);
    expect(methods('/budget/settings').sort()).toEqual(['GET', 'PUT']);
    expect(methods('/admin/tokens/0123456789abcdef01234567')).toEqual(['DELETE']);
    expect(methods('/budget/admin/reset/U1/extra')).toEqual([]);
    expect(methods('/openapi.json')).toEqual(['GET']);
    expect(methods('/openapiXjson')).toEqual([]);
  });
});

describe('defineRoute', () => {
  const route = defineRoute({
    method: 'post',
    path: '/thing/{id}',
    operationId: 'thing',
    tag: 'Test',
    summary: 'A test route',
    auth: 'token',
    params: z.strictObject({ id: z.string().regex(/^\d+$/) }),
    query: z.strictObject({ page: z.string().optional() }),
    body: z.strictObject({ n: z.number() }),
    response: { schema: z.strictObject({ sum: z.number() }), statuses: { 200: 'ok' } },
    handle({ params, body }) {
      return Promise.resolve({ status: 200, body: { sum: Number(params.id) + body.n } });
    },
  });
  const call = (params: unknown, query: unknown, body: unknown) =>
    route.run({ actor: { kind: 'admin', id: 'a' }, services: {} as Services, params, query, body, routes: [] });

  it('runs the handler with parsed input', async () => {
    await expect(call({ id: '2' }, {}, { n: 3 })).resolves.toEqual({ status: 200, body: { sum: 5 } });
  });

  it('reports every bad part at once, and never runs the handler', async () => {
    const error = await call({ id: 'x' }, { page: '1', sort: 'up' }, { n: 'three' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual(['id', 'n', 'sort']);
  });

  it('refuses to run a token route without an actor', async () => {
    await expect(route.run({ actor: null, services: {} as Services, params: { id: '1' }, query: {}, body: { n: 1 }, routes: [] })).rejects.toThrow(
      /without an authenticated actor/,
    );
  });
});
