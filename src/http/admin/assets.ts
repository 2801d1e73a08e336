/**
 * Static files of the admin page, all served by this server so the page works offline (no CDN):
 * Pico CSS and Chart.js straight from node_modules, and the page's own stylesheet and chart script
 * from views/assets. Public (they hold nothing secret) and cached for a day.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';
import { VIEWS_DIR } from './render.js';

const require = createRequire(import.meta.url);
const ONE_DAY_MS = 86_400_000;

/** URL path (under /admin) → file on disk. */
const VENDOR_FILES: Record<string, string> = {
  '/assets/vendor/pico.min.css': require.resolve('@picocss/pico/css/pico.min.css'),
  // chart.js exports only its entry points; the UMD build sits beside the CommonJS one.
  '/assets/vendor/chart.umd.min.js': join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

export function assetsRouter(): express.Router {
  const router = express.Router();
  for (const [path, file] of Object.entries(VENDOR_FILES)) {
    router.get(path, (_req, res, next) => {
      res.sendFile(file, { maxAge: ONE_DAY_MS }, (err) => {
        if (err) next(err);
      });
    });
  }
  router.use('/assets', express.static(join(VIEWS_DIR, 'assets'), { maxAge: ONE_DAY_MS, index: false, fallthrough: true }));
  return router;
}
