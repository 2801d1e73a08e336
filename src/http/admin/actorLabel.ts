/** How the admin page names whoever is signed in or made a change. */
import type { Actor } from '../../domain/actor.js';

export function actorLabelOf(actor: Actor): string {
  if (actor.kind === 'user') return actor.userId;
  if (actor.id === 'ADMIN_API_TOKEN') return 'ADMIN_API_TOKEN';
  return `admin key …${actor.id.slice(-6)}`;
}
