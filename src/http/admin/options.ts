/** Tunables of the admin page; tests shorten the timeouts instead of waiting hours. */
export interface AdminOptions {
  /** A session ends after this long without a request. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteTimeoutMs: number;
  /** Failed sign-in attempts allowed per client IP per window. */
  signInAttempts: number;
  signInWindowMs: number;
}

export const DEFAULT_ADMIN_OPTIONS: AdminOptions = {
  idleTimeoutMs: 8 * 60 * 60_000,
  absoluteTimeoutMs: 24 * 60 * 60_000,
  signInAttempts: 10,
  signInWindowMs: 15 * 60_000,
};
