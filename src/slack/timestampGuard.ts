/**
 * Bolt refuses Slack requests whose timestamp is over 5 minutes old, but accepts ones from the
 * future (an hour ahead was seen: STACK.md), which would let a captured request be replayed for
 * longer than intended. This refuses both directions before Bolt reads the body.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

export const MAX_SKEW_SECONDS = 5 * 60;

export function rejectSkewedTimestamps(logger: Logger, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-slack-request-timestamp'];
    const sent = typeof header === 'string' && /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
    // A missing or malformed timestamp is left to Bolt, which refuses it with its own message.
    if (Number.isFinite(sent) && sent - Math.floor(now() / 1000) > MAX_SKEW_SECONDS) {
      logger.warn({ path: req.path }, 'Slack request refused: timestamp in the future');
      res.status(401).send();
      return;
    }
    next();
  };
}
