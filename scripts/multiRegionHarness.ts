// Two "regions" on this machine (docs/multi-region.md §8): a DynamoDB Local each (on loopback, for
// this user only), the table in each with its stream, the replicator between them, a local server
// per region (MULTI_REGION=on, the same token secret) and a proxy that routes each request to one
// of them. Used by `npm run start:multi-region`, `npm run test:multi-region` and the tests in
// test/multiregion. Needs the built server (node scripts/build.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, startDynamoDbLocal, type RunningDynamoDbLocal } from './dynamoDbLocal.mjs';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';
import { startRegionProxy, type ProxyMode, type RegionProxy } from './regionProxy.js';
import { Replicator } from './replicator.js';

export interface HarnessOptions {
  /** The primary first. */
  readonly regions?: readonly [string, string];
  readonly tableName?: string;
  /** Replication delay and jitter of every link (ms). */
  readonly delayMs?: number;
  readonly jitterMs?: number;
  /** REPLICATION_LAG_BOUND_MS of the servers. */
  readonly lagBoundMs?: number;
  /** 0 (default): free ports. */
  readonly proxyPort?: number;
  readonly serverPorts?: readonly [number, number];
  readonly proxyMode?: ProxyMode;
  readonly seed?: number;
  /** More environment for both servers (per-address limits, scrypt cost, log level...). */
  readonly serverEnv?: Readonly<Record<string, string>>;
  /** Server output: kept for the tests to read (default), or shown. */
  readonly output?: 'keep' | 'inherit';
  /** Where DynamoDB Local keeps each region's data (one directory per region); in memory when absent. */
  readonly dataDir?: (region: string) => string;
}

export interface Harness {
  readonly regions: readonly [string, string];
  /** Each region's server. */
  readonly urls: Readonly<Record<string, string>>;
  /** The proxy in front of both. */
  readonly proxyUrl: string;
  readonly proxy: RegionProxy;
  readonly replicator: Replicator;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly tableName: string;
  readonly lagBoundMs: number;
  /** What a region's server has written to stdout so far (its log lines). */
  output(region: string): string;
  /** Stops a region's DynamoDB Local: its data's home stops answering. */
  stopStorage(region: string): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** Kept of each server's output: the tests look for recent log lines. */
const OUTPUT_KEPT = 4 * 1024 * 1024;

export async function startMultiRegion(options: HarnessOptions = {}): Promise<Harness> {
  const regions = options.regions ?? DEFAULT_REGIONS;
  const tableName = options.tableName ?? 'messaging';
  const lagBoundMs = options.lagBoundMs ?? 10_000;
  const emulators = new Map<string, RunningDynamoDbLocal>();
  const servers = new Map<string, ChildProcess>();
  const outputs = new Map<string, string>();
  let replicator: Replicator | undefined;
  let proxy: RegionProxy | undefined;

  const stopAll = async () => {
    await proxy?.close();
    await Promise.all(
      [...servers.values()].map(async (server) => {
        if (server.exitCode !== null || server.signalCode !== null) return;
        server.kill('SIGTERM');
        await once(server, 'exit');
      }),
    );
    await replicator?.stop();
    await Promise.all([...emulators.values()].map((emulator) => emulator.stop()));
  };

  try {
    await Promise.all(
      regions.map(async (region) => {
        const emulator = await startDynamoDbLocal(options.dataDir ? { dbPath: options.dataDir(region) } : {});
        emulators.set(region, emulator);
        await ensureTable({ tableName, region, endpoint: emulator.endpoint });
      }),
    );
    const endpoints = Object.fromEntries(regions.map((region) => [region, emulators.get(region)!.endpoint]));
    replicator = await Replicator.start({
      tableName,
      instances: regions.map((region) => ({ region, endpoint: endpoints[region]! })),
      delayMs: options.delayMs ?? 500,
      jitterMs: options.jitterMs ?? 0,
    });
    const ports = options.serverPorts ?? [0, 0];
    const chosen = await Promise.all(ports.map((port) => (port ? Promise.resolve(port) : freePort())));
    const urls: Record<string, string> = {};
    await Promise.all(
      regions.map(async (region, i) => {
        const port = chosen[i]!;
        const server = spawn(process.execPath, ['dist/server/server.mjs'], {
          stdio: ['ignore', 'pipe', options.output === 'inherit' ? 'inherit' : 'pipe'],
          env: {
            ...process.env,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...options.serverEnv,
            PORT: String(port),
            STORAGE: 'dynamodb',
            TABLE_NAME: tableName,
            AWS_REGION: region,
            MULTI_REGION: 'on',
            REGIONS: regions.join(','),
            DYNAMODB_ENDPOINTS: regions.map((r) => `${r}=${endpoints[r]}`).join(','),
            REPLICATION_LAG_BOUND_MS: String(lagBoundMs),
            WEBSOCKET_CALLBACK_URL: `http://127.0.0.1:${port}/@connections`,
            TOKEN_SECRET: options.serverEnv?.TOKEN_SECRET ?? 'multi-region-harness-secret-of-32-bytes-or-more',
          },
        });
        servers.set(region, server);
        outputs.set(region, '');
        server.stdout!.setEncoding('utf8');
        server.stdout!.on('data', (chunk: string) => {
          if (options.output === 'inherit') process.stdout.write(`[${region}] ${chunk}`);
          outputs.set(region, (outputs.get(region)! + chunk).slice(-OUTPUT_KEPT));
        });
        server.stderr?.setEncoding('utf8');
        server.stderr?.on('data', (chunk: string) => outputs.set(region, (outputs.get(region)! + chunk).slice(-OUTPUT_KEPT)));
        urls[region] = await listening(server, () => outputs.get(region)!);
      }),
    );
    proxy = await startRegionProxy({ targets: regions.map((region) => urls[region]!), port: options.proxyPort ?? 0, mode: options.proxyMode ?? 'random', seed: options.seed ?? 17 });
    return {
      regions: [regions[0], regions[1]],
      urls,
      proxyUrl: proxy.url,
      proxy,
      replicator,
      endpoints,
      tableName,
      lagBoundMs,
      output: (region) => outputs.get(region) ?? '',
      async stopStorage(region) {
        await emulators.get(region)?.stop();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function listening(server: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output()}`)), 30_000);
    const look = () => {
      const match = /listening on (https?:\/\/\S+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      server.stdout!.off('data', look);
      resolve(match[1]!);
    };
    server.stdout!.on('data', look);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output()}`));
    });
  });
}
