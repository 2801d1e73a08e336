/** Mounts the Slack bot (Bolt) on the Express app when Slack is configured (comes with the Slack issue). */
import type express from 'express';
import type { AppDeps } from '../app.js';

export function mountSlack(_app: express.Express, _deps: AppDeps): void {
  // Nothing yet.
}
