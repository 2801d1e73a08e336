// The one mapping from domain errors (and body-parser errors) to HTTP statuses and the error shape.
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, UnknownModelError, ValidationError } from '../../../src/domain/errors.js';
import { apiErrorHandler, fromDomainError } from '../../../src/http/api/errors.js';
import { createLogger } from '../../../src/logger.js';

describe('fromDomainError', () => {
  it.each([
    [new ForbiddenError('no'), 403, 'forbidden', null],
    [new ForbiddenError('hidden', 'budget_hidden'), 403, 'budget_hidden', null],
    [new NotFoundError('none'), 404, 'not_found', null],
    [new ConflictError('race'), 409, 'conflict', null],
    [new UnknownModelError('mystery'), 422, 'unknown_model', { model: 'mystery' }],
  ])('%s → %i %s', (error, status, code, details) => {
    expect(fromDomainError(error)).toEqual({ status, body: { error: { code, message: error.message, details } } });
  });

  it("words a validation error with the API's field names, in the one form every route uses", () => {
    const bad = new ValidationError('Invalid settings: limitMicros must be at most $10,000', { limitMicros: ['must be at most $10,000'], 'events.2.occurredAt': ['must not be in the future'] });
    expect(fromDomainError(bad)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Invalid request: monthly_limit_usd: must be at most $10,000; events.2.timestamp: must not be in the future',
          details: { monthly_limit_usd: ['must be at most $10,000'], 'events.2.timestamp': ['must not be in the future'] },
        },
      },
    });
    expect(fromDomainError(new ValidationError('bad'))).toEqual({ status: 400, body: { error: { code: 'validation_failed', message: 'bad', details: {} } } });
  });

  it('is null for anything the services did not mean to throw', () => {
    expect(fromDomainError(new Error('boom'))).toBeNull();
    expect(fromDomainError('text')).toBeNull();
  });
});

/** Just enough of a response to see what the handler answered. */
function fakeResponse(): { res: Response; sent: { status?: number; body?: unknown } } {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('apiErrorHandler', () => {
  const handler = apiErrorHandler(createLogger('silent'));
  const req = { method: 'POST', path: '/usage' } as Request;
  const next: NextFunction = () => undefined;

  it.each([
    ['entity.parse.failed', 400, 400, 'invalid_json'],
    ['entity.too.large', 413, 413, 'payload_too_large'],
    ['charset.unsupported', 415, 415, 'unsupported_media_type'],
    ['request.aborted', 400, 400, 'bad_request'],
  ])('body-parser %s → %i', (type, status, expected, code) => {
    const { res, sent } = fakeResponse();
    handler(Object.assign(new Error('secret body {"a":'), { status, type }), req, res, next);
    expect(sent.status).toBe(expected);
    expect(sent.body).toMatchObject({ error: { code, details: null } });
    expect(JSON.stringify(sent.body)).not.toContain('secret');
  });

  it('anything else is a 500 without internals', () => {
    const { res, sent } = fakeResponse();
    handler(new Error('internals at /srv/app.ts:42'), req, res, next);
    expect(sent).toEqual({ status: 500, body: { error: { code: 'internal', message: 'Internal error', details: null } } });
  });
});
