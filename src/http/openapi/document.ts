/**
 * The OpenAPI 3.1 document of the REST API, generated from the route definitions: the same zod
 * schemas that validate requests become the JSON Schemas of the document (zod's toJSONSchema emits
 * draft 2020-12, the dialect of OpenAPI 3.1). Requests are described as clients send them (zod's
 * "input" side), responses as the server writes them ("output").
 */
import { z } from 'zod';
import type { ApiRoute, ErrorStatus } from '../api/route.js';
import { errorSchema } from '../api/schemas.js';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { openapi: '3.1.0'; paths: Record<string, Record<string, unknown>> };

const ERROR_DESCRIPTIONS: readonly (readonly [ErrorStatus, string])[] = [
  [400, 'Bad input (validation_failed: details names each bad field; invalid_json): nothing was changed'],
  [401, 'No token, or a token that is not valid or was revoked (unauthorized)'],
  [403, 'The token may not do this (forbidden, admin_token_required) or the budget is hidden from its owner (budget_hidden)'],
  [404, 'No such thing (not_found)'],
  [405, 'The path exists with other methods (method_not_allowed)'],
  [409, 'Another request changed the same budget at the same moment (conflict); nothing more was changed'],
  [413, 'The JSON body is larger than 100 KB (payload_too_large)'],
  [415, 'The body is not JSON (unsupported_media_type)'],
  [422, 'A usage event names a model with no price and reports no cost_usd (unknown_model): nothing was recorded'],
  [429, 'Too many requests with this token, or too many failed authentications (rate_limited); see Retry-After'],
];

const SCHEMA_REF = (id: string) => `#/components/schemas/${id}`;

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** Component and parameter schemas live inside the document: no dialect or id of their own. */
function stripMeta(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function fieldsOf(schema: z.ZodType): [string, z.ZodType][] {
  return schema instanceof z.ZodObject ? Object.entries<z.ZodType>(schema.shape) : [];
}

function parameters(route: ApiRoute): JsonSchema[] {
  const one = (where: 'path' | 'query') => ([name, field]: [string, z.ZodType]): JsonSchema => {
    const { description, ...schema } = stripMeta(z.toJSONSchema(field, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }));
    const parameter: JsonSchema = { name, in: where, required: where === 'path' || !field.safeParse(undefined).success, schema };
    if (typeof description === 'string') parameter.description = description;
    return parameter;
  };
  return [...fieldsOf(route.params).map(one('path')), ...fieldsOf(route.query).map(one('query'))];
}

/** The errors a route can answer: its own, plus what its inputs and authentication make possible. */
function errorStatuses(route: ApiRoute): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(route.errors);
  const hasInput = route.body !== undefined || fieldsOf(route.params).length > 0 || fieldsOf(route.query).length > 0;
  if (hasInput) statuses.add(400);
  if (route.body !== undefined) {
    statuses.add(413);
    statuses.add(415);
  }
  if (route.auth !== 'public') {
    statuses.add(401);
    statuses.add(429);
  }
  return [...statuses].sort((a, b) => a - b);
}

export function buildOpenApiDocument(routes: readonly ApiRoute[]): OpenApiDocument {
  // Names for every body schema; a schema shared by two routes is one component.
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  const named = new Map<z.ZodType, string>();
  const nameOf = (schema: z.ZodType, id: string, registry: typeof requests): string => {
    const existing = named.get(schema);
    if (existing !== undefined) return existing;
    named.set(schema, id);
    registry.add(schema, { id });
    return id;
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operation: JsonSchema = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      security: route.auth === 'public' ? [] : [{ bearerAuth: [] }],
    };
    if (route.description !== undefined) operation.description = route.description;
    if (route.auth === 'admin') operation['x-token-kinds'] = ['admin'];
    const params = parameters(route);
    if (params.length > 0) operation.parameters = params;
    if (route.body !== undefined) {
      const id = nameOf(route.body, `${pascal(route.operationId)}Request`, requests);
      operation.requestBody = { required: true, content: { 'application/json': { schema: { $ref: SCHEMA_REF(id) } } } };
    }
    const responseId = nameOf(route.response.schema, `${pascal(route.operationId)}Response`, responses);
    const answers: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(route.response.statuses)) {
      answers[status] = { description, content: { 'application/json': { schema: { $ref: SCHEMA_REF(responseId) } } } };
    }
    for (const status of errorStatuses(route)) answers[String(status)] = { $ref: `#/components/responses/Error${status}` };
    operation.responses = answers;
    (paths[route.path] ??= {})[route.method] = operation;
  }

  responses.add(errorSchema, { id: 'Error' });
  const convert = (registry: typeof requests, io: 'input' | 'output') =>
    Object.entries(z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: SCHEMA_REF, unrepresentable: 'any' }).schemas).map(
      ([id, schema]) => [id, stripMeta(schema)] as const,
    );
  const schemas = Object.fromEntries([...convert(requests, 'input'), ...convert(responses, 'output')].sort(([a], [b]) => a.localeCompare(b)));

  const errorResponses = Object.fromEntries(
    ERROR_DESCRIPTIONS.map(([status, description]) => [
      `Error${status}`,
      { description, content: { 'application/json': { schema: { $ref: SCHEMA_REF('Error') } } } },
    ]),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'Budget Bot REST API',
      version: '1.0.0',
      description:
        'Per-user LLM budgets: status, settings, resets, usage breakdown and history for users; configuration for admins; ' +
        'usage recording and the pre-call budget check for integrations. Send `Authorization: Bearer <token>`. JSON keys are ' +
        'snake_case; money is USD (budgets and totals to the cent, single events to 6 decimals); times are ISO 8601 UTC.',
    },
    servers: [{ url: '/api/v1' }],
    tags: [
      { name: 'Budget', description: "A user's own budget (user tokens), or any user's (admin and service tokens, with user_id)" },
      { name: 'Admin', description: 'Admin tokens only' },
      { name: 'Integration', description: 'For LLM gateways and tools (service tokens)' },
      { name: 'Tokens', description: 'API tokens (admin tokens only)' },
      { name: 'Meta', description: 'This document' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin, service or user token (bb_adm_..., bb_svc_..., bb_usr_...), or ADMIN_API_TOKEN',
        },
      },
      schemas,
      responses: errorResponses,
    },
  };
}
