// The local stand-in for API Gateway's WebSocket API, at ws://<host>/ws: each upgrade becomes a
// $connect event, each text frame a $default event and each close a $disconnect event, for the
// same handlers Lambda runs; accepted sockets register with the in-process gateway, through which
// the use cases push. Every client-controlled quantity is bounded (see WebSocketBounds), and a
// refused upgrade releases its socket at once.
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConnectionCloseReason } from '../../core/Connection.js';
import type { WebSocketEvent, WebSocketLambda, WebSocketResult } from '../lambda/WebSocketHandler.js';
import type { InProcessConnectionGateway } from '../push/InProcessConnectionGateway.js';
import { AddressLimit } from './AddressLimit.js';
import { pathAndQuery } from './HttpApiEvent.js';
import { refuseUpgrade } from './Refusals.js';
import { UnreadBytes } from './UnreadBytes.js';

export const WEBSOCKET_PATH = '/ws';

export interface WebSocketBounds {
  /** Largest client frame: clients send pings only (API Gateway's own limit is 128 KB). */
  readonly maxFrameBytes: number;
  /** Client frames per connection per second before it is closed (a flood costs a Lambda call each on AWS). */
  readonly maxFramesPerSecond: number;
  /** A connection that answers no ping for this long is half-open: terminated. */
  readonly heartbeatMs: number;
  /** Pushed bytes a client may leave unread, kernel buffers included (UnreadBytes), before the server gives up on it. */
  readonly maxUnreadBytes: number;
  /** Push connections from one client address, open or being opened (SPEC 8: 50 on the local server). */
  readonly maxPerAddress: number;
}

export const DEFAULT_WEBSOCKET_BOUNDS: WebSocketBounds = Object.freeze({
  maxFrameBytes: 4096,
  maxFramesPerSecond: 20,
  heartbeatMs: 30_000,
  // Anywhere between this process and the client's reader: 2,048 sockets that never read hold
  // 512 MiB at most (bench/pushMemory.ts). A client that falls this far behind catches up with its
  // cursor; 256 KiB is 60 messages of the longest kind, or a thousand of the usual.
  maxUnreadBytes: 256 * 1024,
  maxPerAddress: 50,
});

export interface LocalWebSocketOptions {
  readonly connect: WebSocketLambda;
  readonly disconnect: WebSocketLambda;
  readonly message: WebSocketLambda;
  readonly connections: InProcessConnectionGateway;
  readonly bounds?: WebSocketBounds;
  /** Receives one JSON line per unexpected failure. */
  readonly log: (line: string) => void;
}

/** How each reason to close a connection reads on the wire. */
const CLOSE_FRAMES: Readonly<Record<ConnectionCloseReason, readonly [number, string]>> = {
  replaced: [1000, 'Too many connections for this user: the oldest closes.'],
  token_expired: [1008, 'The login token has expired.'],
  too_old: [1001, 'Connections last at most 2 hours.'],
};

/** The refusal each $connect status stands for; any other failure is the server's (503). */
const REFUSALS: Readonly<Record<number, { code: string; message: string }>> = {
  401: { code: 'unauthorized', message: 'A valid login token is required: ?token=<token>.' },
  409: { code: 'conflict', message: 'Newer connections of this user replaced this one.' },
};

/** Serves WebSockets on `server`; answers a function that closes them all (for the server's close). */
export function attachWebSockets(server: http.Server, options: LocalWebSocketOptions): () => void {
  const bounds = options.bounds ?? DEFAULT_WEBSOCKET_BOUNDS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: bounds.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const unread = new WeakMap<WebSocket, UnreadBytes>();
  const addresses = new AddressLimit(bounds.maxPerAddress);

  const event = (routeKey: string, connectionId: string, extra: Partial<WebSocketEvent> = {}): WebSocketEvent => ({
    requestContext: { routeKey, connectionId, requestId: randomUUID() },
    ...extra,
  });
  const safely = async (call: () => Promise<WebSocketResult>): Promise<WebSocketResult> => {
    try {
      return await call();
    } catch (error) {
      options.log(JSON.stringify({ level: 'error', time: new Date().toISOString(), message: 'WebSocket handler failed', error: error instanceof Error ? error.name : typeof error }));
      return { statusCode: 500 };
    }
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // Read as the HTTP routes read a target: new URL() would throw on one such as `//[/ws`, and a
    // throw here takes the whole server down.
    const { path, query } = pathAndQuery(req.url ?? '/');
    if (path !== WEBSOCKET_PATH) {
      refuse(socket, 404, 'not_found', `There is no WebSocket endpoint here; use ${WEBSOCKET_PATH}.`);
      return;
    }
    const address = req.socket.remoteAddress ?? '';
    if (!addresses.take(address)) {
      refuse(socket, 429, 'rate_limited', `At most ${bounds.maxPerAddress} push connections per client address.`, { 'Retry-After': '60' });
      return;
    }
    // The place is held for as long as the TCP connection lives, whatever becomes of the upgrade.
    socket.once('close', () => addresses.release(address));

    const connectionId = randomBytes(12).toString('base64url');
    options.connections.reserve(connectionId);
    let accepted = false;
    void safely(() =>
      options.connect(event('$connect', connectionId, { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) })),
    ).then((result) => {
      if (result.statusCode !== 200) {
        options.connections.unregister(connectionId);
        const refusal = REFUSALS[result.statusCode];
        if (refusal) refuse(socket, result.statusCode, refusal.code, result.body ?? refusal.message);
        // Whatever failed on the server's side (the storage, a bug) is worth a retry shortly: SPEC 6.
        else refuse(socket, 503, 'unavailable', 'The connection could not be opened now; try again shortly.', { 'Retry-After': '1' });
        return;
      }
      // Recorded, but the upgrade never completes (the client left, ws refused its headers): the
      // record must not outlive it.
      const forget = (): void => {
        if (accepted) return;
        options.connections.unregister(connectionId);
        void safely(() => options.disconnect(event('$disconnect', connectionId)));
      };
      if (socket.destroyed) {
        forget();
        return;
      }
      socket.once('close', forget);
      wss.handleUpgrade(req, socket, head, (ws) => {
        accepted = true;
        accept(ws, connectionId, socket as Socket);
      });
    });
  });

  function accept(ws: WebSocket, connectionId: string, socket: Socket): void {
    alive.set(ws, true);
    const receipts = new UnreadBytes(bounds.maxUnreadBytes);
    unread.set(ws, receipts);
    ws.on('pong', (payload) => {
      alive.set(ws, true);
      receipts.ponged(payload);
    });
    options.connections.register(connectionId, {
      send(frame) {
        if (ws.readyState !== ws.OPEN) return false;
        // A client that does not read would hold its pushes in this process's memory, and in the
        // kernel's: reset, so the kernel drops what it still queues for it at once, instead of
        // keeping it in an orphaned socket that tries to deliver it for minutes.
        if (receipts.unread > bounds.maxUnreadBytes) {
          socket.resetAndDestroy();
          return false;
        }
        ws.send(frame);
        const mark = receipts.sending(Buffer.byteLength(frame));
        if (mark) ws.ping(mark);
        return true;
      },
      close: (reason) => ws.close(...CLOSE_FRAMES[reason]),
    });
    let windowStart = Date.now();
    let frames = 0;
    ws.on('message', (data, isBinary) => {
      alive.set(ws, true);
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        frames = 0;
      }
      if (++frames > bounds.maxFramesPerSecond) {
        ws.close(1008, 'Too many frames.');
        return;
      }
      if (isBinary) return; // only text frames mean anything (a ping)
      void safely(() => options.message(event('$default', connectionId, { body: data.toString() })));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      options.connections.unregister(connectionId);
      void safely(() => options.disconnect(event('$disconnect', connectionId)));
    });
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping(unread.get(ws)?.mark());
    }
  }, bounds.heartbeatMs);
  heartbeat.unref();

  return () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** The answer to an upgrade that is refused, in the API's JSON error shape; the socket is released after it. */
function refuse(socket: Duplex, statusCode: number, code: string, message: string, headers: Record<string, string> = {}): void {
  refuseUpgrade(socket, {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers },
    body: JSON.stringify({ error: code, message }),
  });
}
