/**
 * Whose budget a request is about. A user token is bound to its user: it acts on that user only,
 * whatever the person's role, so naming anyone else is refused. Admin and service tokens act for
 * many users and must name one (`?user_id=` or `user_id` in the body).
 */
import type { Actor } from '../../domain/actor.js';
import { fieldError, ForbiddenError } from '../../domain/errors.js';

export const USER_TOKEN_SCOPE_MESSAGE = 'A user token can only act on its own user';

/** `named` are the user ids the request gives (query and body); undefined where not given. */
export function targetUser(actor: Actor, ...named: (string | undefined)[]): string {
  const given = [...new Set(named.filter((id): id is string => id !== undefined))];
  if (given.length > 1) throw fieldError('user_id', 'was given twice with different values (query and body)');
  const [userId] = given;
  if (actor.kind === 'user') {
    if (userId !== undefined && userId !== actor.userId) throw new ForbiddenError(USER_TOKEN_SCOPE_MESSAGE);
    return actor.userId;
  }
  if (userId === undefined) throw fieldError('user_id', 'is required with an admin or service token');
  return userId;
}

/** For routes that only admin tokens may call: user tokens never reach other users' data. */
export function requireAdminToken(actor: Actor): void {
  if (actor.kind !== 'admin') throw new ForbiddenError('This route needs an admin token', 'admin_token_required');
}
