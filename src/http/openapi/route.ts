/** GET /api/v1/openapi.json: the OpenAPI document of the routes mounted beside it (public, like any API reference). */
import { z } from 'zod';
import { defineRoute } from '../api/route.js';
import { buildOpenApiDocument } from './document.js';

export const openApiRoutes = [
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Meta',
    summary: 'This OpenAPI 3.1 document (no token needed); readable at /api/docs',
    auth: 'public',
    response: {
      schema: z.looseObject({ openapi: z.literal('3.1.0') }).describe('An OpenAPI 3.1 document'),
      statuses: { 200: 'The document' },
    },
    handle({ routes }) {
      return Promise.resolve({ status: 200, body: buildOpenApiDocument(routes) });
    },
  }),
];
