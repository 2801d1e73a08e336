/** Every REST route under /api/v1, group by group. The router and the OpenAPI document both read this list. */
import { openApiRoutes } from '../../openapi/route.js';
import type { ApiRoute } from '../route.js';
import { adminConfigureRoutes } from './adminConfigure.js';
import { adminResetRoutes } from './adminReset.js';
import { adminUsersRoutes } from './adminUsers.js';
import { breakdownRoutes } from './breakdown.js';
import { checkRoutes } from './check.js';
import { historyRoutes } from './history.js';
import { resetRoutes } from './reset.js';
import { settingsRoutes } from './settings.js';
import { statusRoutes } from './status.js';
import { tokenRoutes } from './tokens.js';
import { usageRoutes } from './usage.js';

export const API_ROUTES: readonly ApiRoute[] = [
  ...statusRoutes,
  ...settingsRoutes,
  ...resetRoutes,
  ...breakdownRoutes,
  ...historyRoutes,
  ...adminConfigureRoutes,
  ...adminUsersRoutes,
  ...adminResetRoutes,
  ...usageRoutes,
  ...checkRoutes,
  ...tokenRoutes,
  ...openApiRoutes,
];
