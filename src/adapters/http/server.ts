// Entry point of `npm start`: serves the Lambda router over plain HTTP on this machine, the push
// connections at /ws, the browser client at / and the API reference at /docs.
// Tooling reads the URL from the "listening" line, so that line's wording is part of the contract.
import { fileURLToPath } from 'node:url';
import { localConnections, localManagement, localStream, requestLog, router, transportError, wsConnect, wsDisconnect, wsMessage } from '../lambda/handlers.js';
import { StreamTailer } from '../dynamodb/StreamTailer.js';
import { LOCAL_INVOCATION } from './localInvocation.js';
import { startLocalServer } from './LocalServer.js';
import { localServerSettings, type LocalServerSettings } from './localServerSettings.js';
import { DEFAULT_WEBSOCKET_BOUNDS } from './LocalWebSockets.js';
import { loadStaticSite } from './StaticSite.js';

let settings: LocalServerSettings;
try {
  settings = localServerSettings(process.env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const { port, host } = settings;

let server: Awaited<ReturnType<typeof startLocalServer>>;
try {
  server = await startLocalServer({
    port,
    host,
    // Each event with the local stand-in for Lambda's context, so the log has Lambda's fields.
    handler: (event) => router(event, LOCAL_INVOCATION),
    transportError,
    // The repository's web/ folder, next to dist/ where this runs from.
    site: loadStaticSite(fileURLToPath(new URL('../../web/', import.meta.url))),
    webSockets: {
      connect: (event) => wsConnect(event, LOCAL_INVOCATION),
      disconnect: (event) => wsDisconnect(event, LOCAL_INVOCATION),
      message: (event) => wsMessage(event, LOCAL_INVOCATION),
      connections: localConnections!,
      bounds: { ...DEFAULT_WEBSOCKET_BOUNDS, maxPerAddress: settings.pushConnectionsPerAddress },
    },
    // The server's own failure lines (outside any handler) through the same log.
    log: (line) => relog(line),
    ...(localManagement ? { management: localManagement } : {}),
  });
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Messaging API could not listen on ${host}:${port}: ${reason}\n`);
  process.exit(1);
}
// The local two-region harness: this "region" pushes from its own table's stream, as a region's
// stream consumer does on AWS (each region's replica has a stream fed by every region's writes).
const stream = localStream;
const tailer =
  stream &&
  new StreamTailer(stream.settings, async (records) => {
    // What the Lambda's event filter passes on AWS: inserts of inbox items (infra/terraform).
    const inserts = records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.Keys?.PK?.S?.startsWith('INBOX#'));
    if (inserts.length > 0) await stream.consume({ Records: inserts });
  }, {
    onError: (error) => requestLog.warn('stream read failed', { error: error instanceof Error ? error.name : typeof error }),
  });
if (tailer) await tailer.start();
console.log(`Messaging API listening on ${server.url}`);

/** A JSON line of the server's ({level, message, ...fields}), written through the shared log. */
function relog(line: string): void {
  const { level, message, time: _time, ...fields } = JSON.parse(line) as { level?: string; message?: string; time?: string };
  if (level === 'error') requestLog.error(message ?? 'error', fields);
  else requestLog.warn(message ?? 'warning', fields);
}

async function stop(): Promise<void> {
  try {
    if (tailer) await tailer.stop();
    await server.close();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Messaging API did not stop cleanly: ${reason}\n`);
    process.exit(1);
  }
  console.log('Messaging API stopped');
  process.exit(0);
}

let stopping = false;
function onSignal(): void {
  if (stopping) return;
  stopping = true;
  void stop();
}
// `once`: a second Ctrl-C falls back to node's default and kills a shutdown that hangs.
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
