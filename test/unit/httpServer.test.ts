// createAppServer: requests and responses are born with the Express app's prototypes, so Express
// never switches them, and everything Express adds to req and res still works.
import type { AddressInfo } from 'node:net';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServer } from '../../src/http/server.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(app: express.Express): Promise<string> {
  server = createAppServer(app);
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

describe('createAppServer', () => {
  it("hands Express requests and responses that already have the app's prototypes", async () => {
    const app = express();
    const seen: { req: boolean; res: boolean; node: boolean }[] = [];
    app.use((req, res, next) => {
      seen.push({
        req: Object.getPrototypeOf(req) === app.request,
        res: Object.getPrototypeOf(res) === app.response,
        node: req instanceof IncomingMessage && res instanceof ServerResponse,
      });
      next();
    });
    app.post('/echo', express.json(), (req, res) => {
      res.status(201).json({ body: req.body as unknown, type: req.is('application/json'), header: req.get('x-test'), query: req.query });
    });
    const base = await serve(app);

    const res = await fetch(`${base}/echo?a=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': 'yes' }, body: '{"n":1}' });

    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ body: { n: 1 }, type: 'application/json', header: 'yes', query: { a: '1' } });
    expect(seen).toEqual([{ req: true, res: true, node: true }]);
  });

  it('keeps keep-alive connections, errors and 404s working', async () => {
    const app = express();
    app.get('/fail', () => {
      throw new Error('boom');
    });
    app.use((_req, res) => {
      res.status(404).json({ error: 'nothing here' });
    });
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: 'failed' });
    });
    const base = await serve(app);

    const answers = await Promise.all([fetch(`${base}/fail`), fetch(`${base}/missing`), fetch(`${base}/fail`)]);

    expect(answers.map((r) => r.status)).toEqual([500, 404, 500]);
    expect(await answers[1]?.json()).toEqual({ error: 'nothing here' });
  });
});
