// One row of the throughput table: autocannon against one request, after a warm-up that is not
// counted (so the JIT and the server's caches are warm, as they are in a long-running process).
import autocannon from 'autocannon';

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
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmUpSeconds: number;
}

export const DEFAULT_LOAD: LoadOptions = { connections: 50, seconds: 10, warmUpSeconds: 3 };

export async function loadTest(baseUrl: string, request: LoadRequest, options: LoadOptions = DEFAULT_LOAD): Promise<LoadResult> {
  const run = (seconds: number) =>
    autocannon({
      url: new URL(request.path, baseUrl).href,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      connections: options.connections,
      duration: seconds,
    });
  await run(options.warmUpSeconds);
  const result = await run(options.seconds);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
