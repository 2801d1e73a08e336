// A fake Slack on 127.0.0.1: answers the Web API methods Budget Bot calls (/api/<method>) and the
// response URLs of commands and buttons (/respond/<id>), and records every request, so tests can
// assert on exactly what was sent. Answers can be scripted per method (HTTP 500, 429 with
// Retry-After, a Slack error, a delay) to play Slack being down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  token: string | null;
  at: number;
  /** The HTTP status the fake answered with. */
  status: number;
  /** Whether Slack "accepted" it: HTTP 200 with ok: true. */
  ok: boolean;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; default { ok: true } for 200, empty otherwise. */
  body?: Record<string, unknown>;
  delayMs?: number;
}

export interface FakeProfile {
  tz?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The Web API client sends nested arguments (blocks, view) as JSON strings.
    out[key] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly profiles = new Map<string, FakeProfile>();
  /** Added to every Web API answer (not to response URLs). */
  delayMs = 0;
  /** Slack is down: every Web API call is answered 503 until this is false again. */
  down = false;
  /** What apps.connections.open hands out (Socket Mode's WebSocket URL). */
  socketUrl: string | undefined;
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private messageSeq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    // The handler needs the instance, which needs the bound port: hand it over once listening.
    const holder: { fake?: FakeSlack } = {};
    const server = createServer((req, res) => {
      void holder.fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('fake Slack did not bind');
    holder.fake = new FakeSlack(server, `http://127.0.0.1:${address.port}`);
    return holder.fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** The next answers of `method`, in order; afterwards it answers normally again. */
  script(method: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls of `method` that Slack accepted (HTTP 200 with ok: true). */
  okCallsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  responsesTo(id: string): RecordedResponse[] {
    return this.responses.filter((r) => r.id === id);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.scripts.clear();
  }

  /** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000, what = 'the fake Slack to see it'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  async waitForResponse(id: string, count = 1): Promise<RecordedResponse> {
    return this.waitFor(() => this.responsesTo(id)[count - 1], 5_000, `response ${count} to ${id}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type']);
    const path = req.url ?? '/';
    const respond = /^\/respond\/([^/?]+)/.exec(path);
    if (respond?.[1]) {
      this.responses.push({ id: respond[1], body, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const api = /^\/api\/([\w.]+)/.exec(path);
    if (!api?.[1]) {
      res.writeHead(404).end();
      return;
    }
    const method = api[1];
    const auth = req.headers.authorization;
    const scripted: ScriptedAnswer | undefined = this.down ? { status: 503 } : this.scripts.get(method)?.shift();
    const status = scripted?.status ?? 200;
    const answer = status === 200 ? (scripted?.body ?? this.answer(method, body)) : scripted?.body;
    this.calls.push({ method, body, token: auth?.startsWith('Bearer ') ? auth.slice(7) : null, at: Date.now(), status, ok: status === 200 && answer?.ok === true });
    const delay = (scripted?.delayMs ?? 0) + this.delayMs;
    if (delay > 0) await sleep(delay);
    res.writeHead(status, { 'content-type': 'application/json', ...scripted?.headers }).end(answer === undefined ? '' : JSON.stringify(answer));
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBUDGETBOT', bot_id: 'BBUDGETBOT', team_id: 'T0TEST' };
      case 'users.info': {
        const id = String(body.user);
        const p = this.profiles.get(id) ?? {};
        return {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            real_name: p.real_name ?? `Person ${id}`,
            tz: p.tz ?? 'UTC',
            profile: { display_name: p.display_name ?? '', real_name: p.real_name ?? `Person ${id}`, email: p.email ?? `${id.toLowerCase()}@example.com` },
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users)}` } };
      case 'chat.postMessage':
        this.messageSeq += 1;
        return { ok: true, channel: body.channel, ts: `1700000000.${String(this.messageSeq).padStart(6, '0')}` };
      case 'views.publish':
        return { ok: true, view: { id: 'VHOME' } };
      case 'apps.connections.open':
        return this.socketUrl === undefined ? { ok: false, error: 'not_allowed_token_type' } : { ok: true, url: this.socketUrl };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
