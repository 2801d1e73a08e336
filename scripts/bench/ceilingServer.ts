// The HTTP ceilings: a bare route doing what the budget check does in the database (one findOne by
// _id) and nothing else: no auth, validation, rate limit or logging. CEILING=express serves it with
// Express set up as the app sets it up (its server, no ETags); CEILING=node with node:http alone.
// Loaded like the app, they show how much of the gap to the raw-driver baseline is the framework,
// how much HTTP and the load generator sharing the machine, and how much the app's own code.
import { createServer, type Server } from 'node:http';
import express from 'express';
import { MongoClient } from 'mongodb';
import { createAppServer } from '../../src/http/server.js';

const client = await MongoClient.connect(process.env.MONGODB_URI ?? '');
const budgets = client.db(process.env.MONGODB_DB_NAME).collection<{ _id: string }>('budgets');

async function decide(body: unknown): Promise<string> {
  const userId = typeof body === 'object' && body !== null && 'user_id' in body ? String(body.user_id) : '';
  const budget = await budgets.findOne({ _id: userId });
  return JSON.stringify({ action: 'allow', found: budget !== null });
}

function expressServer(): Server {
  const app = express();
  app.set('etag', false);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/check', express.json(), async (req, res) => {
    res.type('json').send(await decide(req.body));
  });
  return createAppServer(app);
}

function nodeServer(): Server {
  return createServer((req, res) => {
    if (req.url === '/health') {
      res.setHeader('content-type', 'application/json').end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void decide(JSON.parse(Buffer.concat(chunks).toString('utf8'))).then((answer) => {
        res.setHeader('content-type', 'application/json; charset=utf-8').end(answer);
      });
    });
  });
}

const server = (process.env.CEILING === 'node' ? nodeServer() : expressServer()).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void client.close().then(() => process.exit(0));
});
