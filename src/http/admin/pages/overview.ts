/** The overview: spend this period (total and by provider), users per alert level, daily spend. */
import type express from 'express';
import { microsToUsdCents } from '../../../domain/money.js';
import type { Services } from '../../../services/index.js';
import { currentActor } from '../auth.js';
import { chartJson } from '../chartData.js';
import { renderPage } from '../render.js';

export function overviewPage(router: express.Router, services: Services): void {
  router.get('/', async (req, res) => {
    const overview = await services.overview.overview(currentActor(req));
    const levelUsers = Math.max(1, overview.userCount);
    await renderPage(req, res, 'admin/overview', {
      title: 'Overview',
      nav: 'overview',
      overview,
      levelShares: overview.byLevel.map((l) => ({ ...l, percent: Math.round((l.users * 1000) / levelUsers) / 10 })),
      chartData: chartJson({
        daily: { labels: overview.daily.map((d) => d.day), values: overview.daily.map((d) => microsToUsdCents(d.costMicros)) },
        providers: { labels: overview.byProvider.map((g) => g.key), values: overview.byProvider.map((g) => microsToUsdCents(g.costMicros)) },
        levels: { labels: overview.byLevel.map((l) => l.level), values: overview.byLevel.map((l) => l.users) },
      }),
    });
  });
}
