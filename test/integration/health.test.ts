// Real HTTP on an ephemeral port, through main's start(): the same path `npm start` takes.
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/db/connect.js';
import { internalError, notFound } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { start, type Running } from '../../src/main.js';
import { servicesFromConfig } from '../../src/services/fromConfig.js';

const logger = createLogger('silent');

function baseUrl(server: Server | undefined): string {
  const address = server?.address();
  if (typeof address !== 'object' || address === null) throw new Error('server is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

async function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

describe('the running app', () => {
  let running: Running;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB_NAME: `test_health_${Date.now().toString(36)}`,
    });
    running = await start(config, logger);
    url = baseUrl(running.server);
  });

  afterAll(async () => {
    await running.stop();
  });

  it('GET /health answers 200 with the engine and db up', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ status: 'ok', engine: 'external', db: 'up' });
  });

  it('sends a person who opens the bare address to the admin page', async () => {
    const res = await fetch(`${url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('sets security headers (helmet)', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await fetch(`${url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /no/such/route', details: null } });
  });

  it('stop() closes the server and is idempotent', async () => {
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', MONGODB_URI: inject('mongoUri'), MONGODB_DB_NAME: 'test_health_stop' });
    const other = await start(config, logger);
    const otherUrl = baseUrl(other.server);
    expect((await fetch(`${otherUrl}/health`)).status).toBe(200);
    await Promise.all([other.stop(), other.stop()]);
    expect(other.server?.listening).toBe(false);
    await expect(fetch(`${otherUrl}/health`)).rejects.toThrow();
  });
});

describe('buildApp without a listening main', () => {
  it('reports the engine it was given and db down when the connection is closed', async () => {
    const connection = await connectMongo(inject('mongoUri'), 'test_health_down');
    const config = loadConfig({});
    const { services } = await servicesFromConfig(config, connection);
    await connection.close();
    const app = buildApp({ config, logger, services, mongo: { engine: 'jongodb', connection } });
    const server = await listen(app);
    try {
      const res = await fetch(`${baseUrl(server)}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'degraded', engine: 'jongodb', db: 'down' });
    } finally {
      await close(server);
    }
  });

  it('the final error handler answers a JSON 500 without the stack', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('secret internals at /srv/app.ts:42');
    });
    app.get('/async-boom', async () => {
      await Promise.resolve();
      throw new Error('async internals');
    });
    app.use(notFound);
    app.use(internalError(logger));
    const server = await listen(app);
    try {
      for (const path of ['/boom', '/async-boom']) {
        const res = await fetch(`${baseUrl(server)}${path}`);
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal error', details: null } });
        expect(text).not.toMatch(/internals|at \//);
      }
    } finally {
      await close(server);
    }
  });
});
