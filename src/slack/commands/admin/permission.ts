/** `/budget admin allow|deny @user visible|modify|reset`: the permission flags of one budget. */
import type { SettingsPatch } from '../../../domain/validation.js';
import { permissionChangedMessage } from '../../blocks/admin.js';
import type { PermissionName } from '../../parse.js';
import type { CommandHandler } from '../context.js';

const FLAG: Record<PermissionName, 'budgetVisibleToUser' | 'userCanModifyLimit' | 'userCanResetBudget'> = {
  visible: 'budgetVisibleToUser',
  modify: 'userCanModifyLimit',
  reset: 'userCanResetBudget',
};

export const adminPermissionCommand: CommandHandler<{ name: 'admin-permission'; userId: string; allow: boolean; permissions: PermissionName[] }> = async (
  ctx,
  command,
) => {
  const patch: SettingsPatch = {};
  for (const permission of command.permissions) patch[FLAG[permission]] = command.allow;
  await ctx.deps.services.settings.update(ctx.actor, command.userId, patch);
  return permissionChangedMessage(command.userId, command.allow, command.permissions);
};
