/** Who is asking: a Slack user, a user token, a service integration, an admin, or the scheduler. */
export type ActorKind = 'user' | 'admin' | 'service' | 'system';

export type Actor =
  /** A person identified by their user id (Slack, a personal token, the admin page). */
  | { kind: 'user'; userId: string }
  /** An admin API key or ADMIN_API_TOKEN; `id` names the key. */
  | { kind: 'admin'; id: string }
  /** A service key (gateway, internal tool): records usage, checks, reads any user. */
  | { kind: 'service'; id: string }
  /** The scheduler (automatic rollovers). */
  | { kind: 'system'; id: string };

export function actorId(actor: Actor): string {
  return actor.kind === 'user' ? actor.userId : actor.id;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'scheduler' };
