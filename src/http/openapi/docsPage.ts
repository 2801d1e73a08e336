/**
 * /api/docs: a readable reference of the REST API, Swagger UI rendering /api/v1/openapi.json.
 * Everything is served from this server (swagger-ui-dist from node_modules, no CDN), and no script
 * is inline, so helmet's default Content-Security-Policy (script-src 'self') holds.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';

const ASSET_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** Only what the page uses: not swagger-ui-dist's demo page or its initializer (it points at the petstore). */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);
const ASSET_MAX_AGE_MS = 24 * 60 * 60 * 1000;

// Reads the document's URL from the page, so the script needs no inline configuration.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
`;

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function page(base: string, specUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Budget Bot REST API reference</title>
  <link rel="stylesheet" href="${escapeAttr(base)}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${escapeAttr(base)}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${escapeAttr(specUrl)}"></div>
  <script src="${escapeAttr(base)}/swagger-ui-bundle.js"></script>
  <script src="${escapeAttr(base)}/init.js"></script>
</body>
</html>
`;
}

/** Mounted at /api/docs; the document is at `specPath` (/api/v1/openapi.json). */
export function apiDocsRouter(specPath: string): express.Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    res.type('html').send(page(req.baseUrl, specPath));
  });
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.get('/:asset', (req, res, next) => {
    const asset = req.params.asset;
    if (!ASSETS.has(asset)) {
      next();
      return;
    }
    res.sendFile(join(ASSET_DIR, asset), { maxAge: ASSET_MAX_AGE_MS });
  });
  return router;
}
