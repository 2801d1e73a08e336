/** App Home: published when the user opens the Home tab, so it is always fresh. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ForbiddenError } from '../domain/errors.js';
import type { ProfileLookup } from '../services/profiles.js';
import { homeView, type HomeContent } from './blocks/home.js';
import type { SlackDeps } from './deps.js';
import { syncProfile } from './syncProfile.js';

export async function homeContent(deps: SlackDeps, userId: string): Promise<HomeContent> {
  const { services } = deps;
  const actor = { kind: 'user', userId } as const;
  try {
    const [status, breakdown, isAdmin] = await Promise.all([
      services.status.status(actor, userId),
      services.breakdown.breakdown(actor, userId, 'current'),
      services.access.actorIsAdmin(actor),
    ]);
    return { kind: 'budget', status, breakdown, isAdmin };
  } catch (error) {
    // Admins always see their budget, so a hidden one belongs to a regular user.
    if (error instanceof ForbiddenError && error.code === 'budget_hidden') return { kind: 'hidden' };
    deps.logger.error({ err: error, userId }, 'App Home could not be built');
    return { kind: 'unavailable' };
  }
}

export function appHomeListener(deps: SlackDeps, lookup: ProfileLookup) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await syncProfile(deps, event.user, lookup);
    const view = homeView(await homeContent(deps, event.user), new Date());
    try {
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      // Nothing to retry: the next time the tab is opened it is published again.
      deps.logger.warn({ err, userId: event.user }, 'views.publish failed');
    }
  };
}
