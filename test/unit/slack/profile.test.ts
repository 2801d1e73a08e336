import { describe, expect, it } from 'vitest';
import { profileFromSlackUser } from '../../../src/slack/profile.js';

describe('profileFromSlackUser', () => {
  it('takes the time zone, the display name first, and the email', () => {
    expect(
      profileFromSlackUser({ id: 'U1', name: 'alex', real_name: 'Alex Real', tz: 'Europe/Berlin', profile: { display_name: 'Lex', real_name: 'Alex Real', email: 'alex@example.com' } }),
    ).toEqual({ timezone: 'Europe/Berlin', displayName: 'Lex', email: 'alex@example.com' });
  });

  it('falls back to the real name, then the handle; empty values count as missing', () => {
    expect(profileFromSlackUser({ id: 'U1', name: 'alex', tz: '', profile: { display_name: ' ', real_name: 'Alex Real' } })).toEqual({
      timezone: null,
      displayName: 'Alex Real',
      email: null,
    });
    expect(profileFromSlackUser({ id: 'U1', name: 'alex' })).toEqual({ timezone: null, displayName: 'alex', email: null });
  });
});
