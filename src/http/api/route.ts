/**
 * One REST route, declared once: method, path, who may call it, the zod schemas of its path, query,
 * body and response, and the handler. The router mounts these definitions and the OpenAPI document
 * is generated from the very same ones, so the two cannot drift apart.
 */
import { z } from 'zod';
import { safeParseFriendly } from '../../domain/zodMessages.js';
import type { Actor } from '../../domain/actor.js';
import { ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/index.js';
import { FieldErrorList, invalidRequestMessage, zodFieldErrors } from './fields.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * public: no token (the OpenAPI document). token: every valid token; the services decide what it may
 * do. admin: an admin token only (admin key or ADMIN_API_TOKEN).
 */
export type RouteAuth = 'public' | 'token' | 'admin';

/** Error statuses a route can answer besides the ones every route shares (documented per route). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429;

export interface Reply<T> {
  status: number;
  body: T;
}

type EmptyShape = z.ZodObject<Record<never, z.ZodType>, z.core.$strict>;

interface RouteContext<A extends RouteAuth, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  actor: A extends 'public' ? null : Actor;
  services: Services;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Every route mounted beside this one (the OpenAPI route documents them). */
  routes: readonly ApiRoute[];
}

export interface RouteDefinition<A extends RouteAuth, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: HttpMethod;
  /** OpenAPI style, relative to /api/v1: "/budget/admin/reset/{user_id}". */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The success response: its schema, and each success status with what it means. */
  response: { schema: R; statuses: Record<number, string> };
  /** Errors this route can answer beyond the shared ones (400 for bad input, 401, 429, ...). */
  errors?: readonly ErrorStatus[];
  handle(ctx: RouteContext<A, P, Q, B>): Promise<Reply<z.input<R>>>;
}

/** What the input of one call looks like before validation. */
export interface RawCall {
  actor: Actor | null;
  services: Services;
  params: unknown;
  query: unknown;
  body: unknown;
  routes: readonly ApiRoute[];
}

/** A route with its types erased, ready to be mounted and documented. */
export interface ApiRoute {
  method: HttpMethod;
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string | undefined;
  auth: RouteAuth;
  params: z.ZodType;
  query: z.ZodType;
  body: z.ZodType | undefined;
  response: { schema: z.ZodType; statuses: Record<number, string> };
  errors: readonly ErrorStatus[];
  run(call: RawCall): Promise<Reply<unknown>>;
}

const EMPTY: EmptyShape = z.strictObject({});

function parsePart<S extends z.ZodType>(schema: S, value: unknown, problems: FieldErrorList): z.output<S> | undefined {
  const result = safeParseFriendly(schema, value);
  if (result.success) return result.data;
  zodFieldErrors(result.error, problems);
  return undefined;
}

export function defineRoute<
  A extends RouteAuth,
  R extends z.ZodType,
  P extends z.ZodType = EmptyShape,
  Q extends z.ZodType = EmptyShape,
  B extends z.ZodType = z.ZodUndefined,
>(def: RouteDefinition<A, P, Q, B, R>): ApiRoute {
  // Absent query and path schemas are empty strict objects: an unexpected parameter is an error.
  const params: z.ZodType = def.params ?? EMPTY;
  const query: z.ZodType = def.query ?? EMPTY;
  return {
    method: def.method,
    path: def.path,
    operationId: def.operationId,
    tag: def.tag,
    summary: def.summary,
    description: def.description,
    auth: def.auth,
    params,
    query,
    body: def.body,
    response: def.response,
    errors: def.errors ?? [],
    async run(call) {
      // Every part is checked before the handler runs, and all problems are reported together.
      const problems = new FieldErrorList();
      const p = parsePart(def.params ?? EMPTY, call.params, problems);
      const q = parsePart(def.query ?? EMPTY, call.query, problems);
      const b = def.body ? parsePart(def.body, call.body, problems) : undefined;
      if (problems.size > 0) {
        const fields = problems.toObject();
        throw new ValidationError(invalidRequestMessage(fields), fields);
      }
      if (def.auth !== 'public' && call.actor === null) throw new Error(`${def.operationId} ran without an authenticated actor`);
      // The casts only restate what was just checked: parsed parts, and an actor where one is required.
      return def.handle({
        actor: call.actor as RouteContext<A, P, Q, B>['actor'],
        services: call.services,
        params: p as z.output<P>,
        query: q as z.output<Q>,
        body: b as z.output<B>,
        routes: call.routes,
      });
    },
  };
}
