/** users.info → the profile fields Budget Bot keeps (time zone, a display name, email). */
import type { webApi } from '@slack/bolt';
import type { ProfileLookup, UserProfile } from '../services/profiles.js';

type SlackUser = NonNullable<webApi.UsersInfoResponse['user']>;

const nonEmpty = (value: string | undefined): string | null => (value !== undefined && value.trim() !== '' ? value.trim() : null);

export function profileFromSlackUser(user: SlackUser): UserProfile {
  return {
    timezone: nonEmpty(user.tz),
    displayName: nonEmpty(user.profile?.display_name) ?? nonEmpty(user.profile?.real_name) ?? nonEmpty(user.real_name) ?? nonEmpty(user.name),
    // Present only with the users:read.email scope.
    email: nonEmpty(user.profile?.email),
  };
}

export function slackProfileLookup(client: webApi.WebClient): ProfileLookup {
  return async (userId) => {
    const result = await client.users.info({ user: userId });
    if (!result.user) throw new Error('users.info answered without a user');
    return profileFromSlackUser(result.user);
  };
}
