// How failures are turned into answers: service errors into one Slack line, Slack Web API errors
// into retry-or-skip decisions for the deliverer, and the backoff between tries. (The timestamp
// guard is tested end to end in test/integration/slack/endpoint.test.ts.)
import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import { createLogger } from '../../../src/logger.js';
import { FIRST_RETRY_MS, MAX_RETRY_MS, retryDelayMs } from '../../../src/services/delivery.js';
import { HIDDEN_BUDGET_LINE, INTERNAL_ERROR_LINE } from '../../../src/slack/blocks/messages.js';
import { toDeliveryFailure } from '../../../src/slack/delivery.js';
import { replyForError } from '../../../src/slack/errorReplies.js';

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('service errors in Slack', () => {
  const { logger, lines } = capturingLogger();

  it('answers a hidden budget with the "managed by an admin" line', () => {
    expect(replyForError(new ForbiddenError('whatever', 'budget_hidden'), logger, 'x').text).toBe(HIDDEN_BUDGET_LINE);
  });

  it('passes the services’ refusals on as one sentence', () => {
    expect(replyForError(new ForbiddenError('You are not allowed to change your limit; ask an admin'), logger, 'x').text).toBe(
      ':no_entry_sign: You are not allowed to change your limit; ask an admin.',
    );
    expect(replyForError(new ConflictError('Already done.'), logger, 'x').text).toBe('Already done.');
    expect(replyForError(new NotFoundError('No such thing'), logger, 'x').text).toBe('No such thing.');
  });

  it('names the field of a validation error in words', () => {
    const error = new ValidationError('Invalid settings: limitMicros must be at most $10,000', { limitMicros: ['must be at most $10,000'] });
    expect(replyForError(error, logger, 'x').text).toBe(':warning: The limit must be at most $10,000.');
    expect(replyForError(new ValidationError('Bad thing'), logger, 'x').text).toBe(':warning: Bad thing.');
  });

  it('logs anything else and answers without a stack', () => {
    const reply = replyForError(new Error('secret internals at /srv/app.ts:42'), logger, '/budget status');
    expect(reply.text).toBe(INTERNAL_ERROR_LINE);
    expect(JSON.stringify(reply)).not.toContain('internals');
    expect(lines.some((l) => l.includes('secret internals') && l.includes('/budget status'))).toBe(true);
  });
});

describe('Slack failures for the deliverer', () => {
  it('waits as long as a 429 says', () => {
    expect(toDeliveryFailure(new webApi.WebAPIRateLimitedError(7))).toMatchObject({ permanent: false, retryAfterMs: 7_000 });
  });

  it('retries server errors and unreachable Slack', () => {
    expect(toDeliveryFailure(new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}, ''))).toMatchObject({ permanent: false, retryAfterMs: null, message: 'Slack answered HTTP 503' });
    expect(toDeliveryFailure(new webApi.WebAPIRequestError(new Error('connect ECONNREFUSED')))).toMatchObject({ permanent: false, message: 'Slack unreachable: connect ECONNREFUSED' });
    expect(toDeliveryFailure(new Error('odd'))).toMatchObject({ permanent: false });
  });

  it('gives up only on answers that cannot change', () => {
    expect(toDeliveryFailure(new webApi.WebAPIPlatformError({ ok: false, error: 'user_not_found' }))).toMatchObject({ permanent: true });
    expect(toDeliveryFailure(new webApi.WebAPIPlatformError({ ok: false, error: 'cannot_dm_bot' }))).toMatchObject({ permanent: true });
    // The bot may be invited to the channel, or the token fixed: then it arrives late.
    expect(toDeliveryFailure(new webApi.WebAPIPlatformError({ ok: false, error: 'not_in_channel' }))).toMatchObject({ permanent: false });
    expect(toDeliveryFailure(new webApi.WebAPIPlatformError({ ok: false, error: 'invalid_auth' }))).toMatchObject({ permanent: false });
  });

  it('backs off 30 s, 1 min, 2 min, ... up to an hour, or as Slack says', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, null))).toEqual([FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS, 8 * FIRST_RETRY_MS]);
    expect(retryDelayMs(50, null)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(3, 7_000)).toBe(7_000);
    expect(retryDelayMs(3, 0)).toBe(1_000);
  });
});
