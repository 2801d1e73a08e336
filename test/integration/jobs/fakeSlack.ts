// A fake Slack Web API on 127.0.0.1 for the delivery job: conversations.open and chat.postMessage,
// with a switch that makes it answer 503 to everything ("Slack is down").
import { createServer, type Server } from 'node:http';

export interface FakeSlack {
  /** The base URL to put in SLACK_API_URL. */
  url: string;
  down: boolean;
  /** Messages accepted (chat.postMessage answered ok). */
  posted: { channel: string; text: string }[];
  /** Calls refused while down. */
  refused: number;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const posted: { channel: string; text: string }[] = [];
  const state = { down: false, refused: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (state.down) {
        state.refused += 1;
        res.writeHead(503).end('down');
        return;
      }
      // The Web API client posts application/x-www-form-urlencoded bodies.
      const form = new URLSearchParams(body);
      const reply = (payload: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...payload }));
      if (req.url === '/api/conversations.open') return reply({ channel: { id: `D-${form.get('users') ?? '?'}` } });
      if (req.url === '/api/chat.postMessage') {
        posted.push({ channel: form.get('channel') ?? '?', text: form.get('text') ?? '' });
        return reply({ ts: `${posted.length}.000` });
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'unknown_method' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    posted,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
