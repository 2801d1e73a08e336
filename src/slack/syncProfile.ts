/**
 * Runs the first-sight profile sync before a command or App Home is answered. It never fails the
 * answer: when Slack or the database cannot be reached the user is served with what is stored
 * (the default time zone for someone new), and the service tries again later.
 */
import type { ProfileLookup } from '../services/profiles.js';
import type { SlackDeps } from './deps.js';

export async function syncProfile(deps: SlackDeps, userId: string, lookup: ProfileLookup): Promise<void> {
  try {
    const outcome = await deps.services.profiles.ensure(userId, lookup);
    if (outcome.status === 'failed') {
      deps.logger.warn(
        { err: outcome.error, userId, retryAt: outcome.retryAt },
        'Slack users.info failed; serving this user with the stored (default) time zone until a later lookup works',
      );
    }
  } catch (err) {
    deps.logger.warn({ err, userId }, 'profile sync failed; answering without it');
  }
}
