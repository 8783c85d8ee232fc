// One row of the throughput table: autocannon against one request, after a warm-up that is not
// counted (so the JIT and the server's caches are warm, as they are in a long-running process).
import autocannon from 'autocannon';
import { watchCpu } from './cpuUsage.js';

export interface LoadRequest {
  readonly path: string;
  readonly body: object;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: a row with any is not valid. */
  readonly failures: number;
  /** CPU time of the server per answered request, in microseconds (undefined without /proc). */
  readonly serverCpuMicros: number | undefined;
  /** Share of the machine other processes took meanwhile: above a few percent, every number here moved. */
  readonly othersCpuShare: number | undefined;
}

/** Where the load goes: a server and the process id that serves it. */
export interface LoadTarget {
  readonly url: string;
  readonly pid: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmUpSeconds: number;
  /**
   * Runs at most, when other processes take more than `quietShare` of the machine during one: the
   * quietest run counts. On a shared machine a burst of other work otherwise decides a row.
   */
  readonly attempts: number;
  readonly quietShare: number;
}

export const DEFAULT_LOAD: LoadOptions = { connections: 50, seconds: 10, warmUpSeconds: 3, attempts: 2, quietShare: 0.05 };

export async function loadTest(target: LoadTarget, request: LoadRequest, options: LoadOptions = DEFAULT_LOAD): Promise<LoadResult> {
  let quietest: LoadResult | undefined;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    const result = await loadOnce(target, request, options);
    if (!quietest || (result.othersCpuShare ?? 0) < (quietest.othersCpuShare ?? 0)) quietest = result;
    if ((result.othersCpuShare ?? 0) <= options.quietShare) break;
  }
  return quietest!;
}

async function loadOnce(target: LoadTarget, request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const run = (seconds: number) =>
    autocannon({
      url: new URL(request.path, target.url).href,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      connections: options.connections,
      duration: seconds,
    });
  await run(options.warmUpSeconds);
  const cpu = watchCpu(target.pid);
  const result = await run(options.seconds);
  const used = cpu.stop();
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    serverCpuMicros: used && result.requests.total > 0 ? (used.processSeconds * 1e6) / result.requests.total : undefined,
    othersCpuShare: used?.othersShare,
  };
}
