/**
 * One-time sign-in links for the admin page. An admin asks for one in Slack (`/budget admin login`);
 * the link carries a random token, of which only the SHA-256 is stored; it works once, within
 * LOGIN_LINK_TTL_MS, and only for someone who was an admin when it was made.
 *
 *   const link = await services.adminLogin.createLoginLink(actor); // → `${PUBLIC_URL}${link.path}`
 *   const actor = await services.adminLogin.consume(token);         // the admin page, once
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { ForbiddenError } from '../domain/errors.js';
import type { AccessPolicy } from './access.js';
import type { ServiceContext } from './context.js';

export const LOGIN_LINK_TTL_MS = 10 * 60_000;
/** The admin page's route that takes the token (src/http/admin). */
export const LOGIN_LINK_PATH = '/admin/login/';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface LoginLink {
  /** The secret part of the link: shown to the admin once, never stored. */
  token: string;
  /** Path of the link, to append to PUBLIC_URL. */
  path: string;
  expiresAt: Date;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export class AdminLoginService {
  constructor(
    private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>,
    private readonly access: AccessPolicy,
  ) {}

  async createLoginLink(actor: Actor): Promise<LoginLink> {
    if (actor.kind === 'system' || !(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can sign in to the admin page');
    const token = randomBytes(32).toString('base64url');
    const now = this.ctx.clock();
    const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
    await this.ctx.store.adminLoginLinks.insert({ hash: sha256(token), actor, createdAt: now, expiresAt });
    return { token, path: `${LOGIN_LINK_PATH}${token}`, expiresAt };
  }

  /**
   * The admin a link signs in, or null when the token is unknown, used or expired. Works once. The
   * actor must still be an admin now (a role can be taken away in the ten minutes).
   */
  async consume(token: string): Promise<Actor | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const link = await this.ctx.store.adminLoginLinks.consume(sha256(token), this.ctx.clock());
    if (!link) return null;
    return (await this.access.actorIsAdmin(link.actor)) ? link.actor : null;
  }
}
