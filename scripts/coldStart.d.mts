// Types of coldStart.mjs, for the TypeScript that calls it (`npm run bench`).
import type { BuiltLambda } from './buildLambda.mjs';

export interface ColdStart {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export declare function measureColdStart(bundlePath: string, options?: { runs?: number; env?: Record<string, string> }): ColdStart;
export declare function measureStartupVariants(
  bundlePath: string,
  options?: { runs?: number },
): Promise<{ environment: ColdStart; ssm: ColdStart; tracing: ColdStart }>;
export declare function formatColdStart(label: string, built: BuiltLambda, timing: ColdStart): string;
