// The OpenAPI document: valid OpenAPI 3.1 by an independent validator, and complete. The routes the
// API serves are read from the Express router itself (what is actually mounted), not from a list.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../../src/config.js';
import { connectMongo } from '../../../src/db/connect.js';
import { apiRouter } from '../../../src/http/api/index.js';
import { API_ROUTES } from '../../../src/http/api/routes/index.js';
import { buildOpenApiDocument } from '../../../src/http/openapi/document.js';
import { createLogger } from '../../../src/logger.js';
import { servicesFromConfig } from '../../../src/services/fromConfig.js';
import { startApi, type ApiHarness } from './harness.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const documentShape = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), z.unknown()), responses: z.record(z.string(), z.unknown()) }),
});

// What an Express 5 router keeps per mounted route (its "stack" of layers).
const routerStack = z.array(z.object({ route: z.object({ path: z.string(), methods: z.record(z.string(), z.boolean()) }).optional() }));

let api: ApiHarness;
let served: unknown;

beforeAll(async () => {
  api = await startApi();
  served = (await api.call('GET', '/openapi.json')).json;
});
afterAll(async () => {
  await api.stop();
});

/** "GET /budget/admin/reset/{user_id}" for every route mounted on the real API router. */
async function mountedRoutes(): Promise<string[]> {
  const config = loadConfig({ MONGODB_URI: inject('mongoUri'), LOG_LEVEL: 'silent' });
  const connection = await connectMongo(inject('mongoUri'), `test_openapi_router_${Date.now().toString(36)}`);
  try {
    const { services } = await servicesFromConfig(config, connection);
    const router = apiRouter({ config, logger: createLogger('silent'), services, mongo: { engine: 'test', connection } });
    return routerStack
      .parse(router.stack)
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`) : []));
  } finally {
    await connection.close();
  }
}

function documentedRoutes(doc: z.infer<typeof documentShape>): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key): key is (typeof METHODS)[number] => (METHODS as readonly string[]).includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(z.record(z.string(), z.unknown()).parse(structuredClone(served)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the API router serves, and nothing it does not', async () => {
    const mounted = await mountedRoutes();
    expect(mounted.length).toBeGreaterThanOrEqual(15);
    expect(documentedRoutes(documentShape.parse(served)).sort()).toEqual([...mounted].sort());
  });

  it('every $ref points at something in the document, and every schema is used', () => {
    const doc = documentShape.parse(served);
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`));
    for (const ref of refs) {
      const [kind, name] = ref.split('/') as ['schemas' | 'responses', string];
      expect(doc.components[kind][name], ref).toBeDefined();
    }
    for (const name of Object.keys(doc.components.schemas)) expect(refs, name).toContain(`schemas/${name}`);
  });

  it('describes each operation: a summary, its success answers, its error answers, its body and parameters', () => {
    const doc = documentShape.parse(served);
    for (const route of API_ROUTES) {
      const operation = z
        .object({
          operationId: z.string(),
          summary: z.string().min(10),
          responses: z.record(z.string(), z.unknown()),
          requestBody: z.unknown().optional(),
          parameters: z.array(z.object({ name: z.string(), in: z.enum(['path', 'query']) })).optional(),
          security: z.array(z.unknown()),
        })
        .parse(doc.paths[route.path]?.[route.method]);
      expect(operation.operationId).toBe(route.operationId);
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
      if (route.auth !== 'public') expect(statuses).toEqual(expect.arrayContaining(['401', '429']));
      expect(operation.requestBody !== undefined).toBe(route.body !== undefined);
      for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(operation.parameters?.find((p) => p.name === name)?.in).toBe('path');
      }
      expect(operation.security.length === 0).toBe(route.auth === 'public');
    }
  });

  it('is the document built from the route definitions', () => {
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(API_ROUTES))));
  });
});
