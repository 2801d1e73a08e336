// The HTTP ceiling: a bare Express route that does what the budget check does in the database (one
// findOne by _id) and nothing else, no auth, no validation, no logging. Loading it like the app
// shows how much of the gap to the raw-driver baseline is HTTP and the load generator sharing
// the machine, rather than the app's own code.
import express from 'express';
import { MongoClient } from 'mongodb';

const client = await MongoClient.connect(process.env.MONGODB_URI ?? '');
const budgets = client.db(process.env.MONGODB_DB_NAME).collection<{ _id: string }>('budgets');
const app = express();
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/check', express.json(), async (req, res) => {
  const body = req.body as { user_id?: unknown };
  const budget = await budgets.findOne({ _id: String(body.user_id) });
  res.json({ action: 'allow', found: budget !== null });
});
const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void client.close().then(() => process.exit(0));
});
