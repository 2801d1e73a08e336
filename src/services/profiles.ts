/**
 * A user's profile from the chat platform (Slack's users.info): display name, email and time zone.
 * Asked once on first sight (and again after `refreshMs`, so a move to another zone is noticed).
 * When the lookup fails the user is served with what is stored — the default time zone — and the
 * lookup is tried again after `retryMs`. A new time zone applies at once while the budget is still
 * on its first automatic period (that period is recomputed in the new zone); later it applies from
 * the next period on. A zone an admin set is never overridden.
 */
import { periodRule, type BudgetRecord } from '../domain/budget.js';
import { ConflictError } from '../domain/errors.js';
import { isValidTimezone, periodContaining } from '../domain/periods.js';
import { parseOrThrow, userIdSchema } from '../domain/validation.js';
import type { FieldChange } from '../store/auditLog.js';
import type { ProfileFields } from '../store/budgets.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';

export interface UserProfile {
  /** IANA zone, or null when the platform reports none. */
  timezone: string | null;
  displayName: string | null;
  email: string | null;
}

/** Asks the platform for a user's profile; rejects when it cannot be reached. */
export type ProfileLookup = (userId: string) => Promise<UserProfile>;

export type ProfileSyncOutcome =
  /** Synced recently (in this process or, per the stored record, in another). */
  | { status: 'fresh' }
  /** A recent lookup failed; the next one waits until `retryAt`. */
  | { status: 'waiting'; retryAt: Date }
  | { status: 'synced'; budget: BudgetRecord }
  | { status: 'failed'; error: unknown; retryAt: Date };

export const PROFILE_RETRY_MS = 5 * 60_000;
export const PROFILE_REFRESH_MS = 7 * 24 * 3_600_000;
const MAX_TRIES = 5;
/** Who the audit log names for changes that came from the user's Slack profile. */
export const PROFILE_ACTOR_ID = 'slack-profile';

export class ProfileSync {
  /** When each user was last synced, as far as this process knows: saves a read per interaction. */
  private readonly syncedAt = new Map<string, number>();
  private readonly retryAt = new Map<string, number>();
  /** One lookup per user at a time, however many requests arrive together. */
  private readonly inFlight = new Map<string, Promise<ProfileSyncOutcome>>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly retryMs = PROFILE_RETRY_MS,
    private readonly refreshMs = PROFILE_REFRESH_MS,
  ) {}

  /**
   * Makes sure the platform was asked about this user. Lookup failures do not throw (they come back
   * as `failed`, for the caller to log); database failures do.
   */
  ensure(userId: string, lookup: ProfileLookup): Promise<ProfileSyncOutcome> {
    const now = this.ctx.clock().getTime();
    const synced = this.syncedAt.get(userId);
    if (synced !== undefined && now - synced < this.refreshMs) return Promise.resolve({ status: 'fresh' });
    const retry = this.retryAt.get(userId);
    if (retry !== undefined && now < retry) return Promise.resolve({ status: 'waiting', retryAt: new Date(retry) });
    const running = this.inFlight.get(userId);
    if (running) return running;
    const work = this.sync(userId, lookup).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, work);
    return work;
  }

  /** Stores a profile: name and email as given, the time zone unless an admin chose one. */
  async apply(userId: string, profile: UserProfile): Promise<BudgetRecord> {
    const validUserId = parseOrThrow(userIdSchema, userId, 'user id');
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const budget = await this.loader.load(validUserId);
      const now = this.ctx.clock();
      const fields: ProfileFields = { profileSyncedAt: now, updatedAt: now };
      const changes: FieldChange[] = [];
      if (profile.displayName !== null && profile.displayName !== budget.displayName) {
        fields.displayName = profile.displayName;
        changes.push({ field: 'displayName', before: budget.displayName, after: profile.displayName });
      }
      if (profile.email !== null && profile.email !== budget.email) {
        fields.email = profile.email;
        changes.push({ field: 'email', before: budget.email, after: profile.email });
      }
      const zone = profile.timezone;
      if (zone !== null && isValidTimezone(zone) && budget.timezoneSource !== 'admin') {
        fields.timezoneSource = 'slack';
        if (zone !== budget.timezone) {
          fields.timezone = zone;
          changes.push({ field: 'timezone', before: budget.timezone, after: zone });
          if (budget.periodSeq === 0) {
            // Still the period made on first sight, in the default zone: make it the one it would
            // have been had the zone been known then. The spend so far stays in it.
            const period = periodContaining(now, periodRule({ ...budget, timezone: zone }));
            fields.periodStart = period.start;
            fields.periodEnd = period.end;
          }
        }
      }
      const after = await this.ctx.store.budgets.saveProfile(budget.userId, budget, fields);
      if (!after) continue;
      if (changes.length > 0) {
        await this.ctx.store.audit.insert({ userId: budget.userId, actorKind: 'system', actorId: PROFILE_ACTOR_ID, at: now, changes });
      }
      this.syncedAt.set(budget.userId, now.getTime());
      this.retryAt.delete(budget.userId);
      return after;
    }
    throw new ConflictError('The budget kept changing while the profile was being saved; it will be tried again');
  }

  private async sync(userId: string, lookup: ProfileLookup): Promise<ProfileSyncOutcome> {
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    const started = this.ctx.clock();
    if (budget.profileSyncedAt !== null && started.getTime() - budget.profileSyncedAt.getTime() < this.refreshMs) {
      this.syncedAt.set(userId, budget.profileSyncedAt.getTime());
      return { status: 'fresh' };
    }
    let profile: UserProfile;
    try {
      profile = await lookup(userId);
    } catch (error) {
      const retryAt = new Date(this.ctx.clock().getTime() + this.retryMs);
      this.retryAt.set(userId, retryAt.getTime());
      return { status: 'failed', error, retryAt };
    }
    return { status: 'synced', budget: await this.apply(userId, profile) };
  }
}
