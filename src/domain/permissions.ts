/**
 * Who may do what with a budget. Admins (the configured Slack ids plus users with the admin role)
 * may do everything; everyone else gets what their budget's permission flags say.
 */
export interface PermissionFlags {
  budgetVisibleToUser: boolean;
  userCanModifyLimit: boolean;
  userCanResetBudget: boolean;
}

export type Role = 'user' | 'admin';
export const ROLES: readonly Role[] = ['user', 'admin'];

/** Defaults for a new user: admins have all three; regular users can see, not modify, not reset. */
export function defaultPermissions(role: Role): PermissionFlags {
  const admin = role === 'admin';
  return { budgetVisibleToUser: true, userCanModifyLimit: admin, userCanResetBudget: admin };
}

export function isAdmin(userId: string, role: Role, adminUserIds: ReadonlySet<string>): boolean {
  return role === 'admin' || adminUserIds.has(userId);
}

export interface EffectivePermissions {
  canView: boolean;
  canModifyLimit: boolean;
  canReset: boolean;
}

/** What the budget's owner may do with it. */
export function ownerPermissions(flags: PermissionFlags, admin: boolean): EffectivePermissions {
  if (admin) return { canView: true, canModifyLimit: true, canReset: true };
  return {
    canView: flags.budgetVisibleToUser,
    canModifyLimit: flags.budgetVisibleToUser && flags.userCanModifyLimit,
    canReset: flags.budgetVisibleToUser && flags.userCanResetBudget,
  };
}
