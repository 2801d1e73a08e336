// The Socket Mode side of a fake Slack: a bare WebSocket server (RFC 6455, text frames only) that
// says "hello" like Slack, sends envelopes (a slash command...) and records what the app sends
// back (the acknowledgements). Hand-written on node:http because the project has no WebSocket
// server library, and Slack's side of the protocol needs only this much.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  return Buffer.concat([head, payload]);
}

/** Reads client frames (always masked) out of a buffer; returns what is left over. */
function readFrames(buffer: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer {
  let rest = buffer;
  for (;;) {
    if (rest.length < 2) return rest;
    const opcode = (rest[0] ?? 0) & 0x0f;
    let length = (rest[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (rest.length < 4) return rest;
      length = rest.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (rest.length < 10) return rest;
      length = Number(rest.readBigUInt64BE(2));
      offset = 10;
    }
    if (rest.length < offset + 4 + length) return rest;
    const mask = rest.subarray(offset, offset + 4);
    const payload = Buffer.from(rest.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    onFrame(opcode, payload);
    rest = rest.subarray(offset + 4 + length);
  }
}

export class FakeSocketMode {
  /** JSON messages the app sent (acknowledgements of envelopes). */
  readonly received: Record<string, unknown>[] = [];
  connections = 0;
  private socket: Duplex | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSocketMode> {
    const holder: { fake?: FakeSocketMode } = {};
    const server = createServer((_req, res) => res.writeHead(426).end());
    server.on('upgrade', (req, socket) => holder.fake?.accept(req.headers['sec-websocket-key'], socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('fake Socket Mode did not bind');
    holder.fake = new FakeSocketMode(server, `ws://127.0.0.1:${address.port}/link/?ticket=test`);
    return holder.fake;
  }

  send(message: Record<string, unknown>): void {
    if (!this.socket) throw new Error('no Socket Mode connection');
    this.socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(key: string | undefined, socket: Duplex): void {
    const accept = createHash('sha1').update(`${key ?? ''}${GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.socket = socket;
    this.connections += 1;
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = readFrames(Buffer.concat([pending, chunk]), (opcode, payload) => {
        if (opcode === 0x1) this.received.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
        else if (opcode === 0x9) socket.write(frame(0xa, payload));
        else if (opcode === 0x8) socket.end(frame(0x8, payload));
      });
    });
    socket.on('error', () => undefined);
    // What Slack says first; the client counts as connected once it arrives.
    this.send({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0BUDGET' } });
  }
}
