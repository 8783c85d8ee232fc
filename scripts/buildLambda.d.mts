// Types of buildLambda.mjs, for the TypeScript that calls it (tests, benchmarks).
export declare const LAMBDA_ENTRY: string;
export declare const LAMBDA_ZIP: string;
export declare const LAMBDA_MODULE: string;

export interface BuiltLambda {
  bundlePath: string;
  zipPath: string;
  bundleBytes: number;
  /** The chunks loaded only when imported (the SSM client, the tracer). */
  chunkBytes: number;
  /** Every file in the zip, by its path in it. */
  files: string[];
  sourceMapBytes: number;
  zipBytes: number;
  /** Names the bundle exports: the Lambda handlers (and `router`). */
  exports: string[];
  /** Every source file that went into the bundle. */
  inputs: string[];
}

export declare function buildLambda(options?: { outDir?: string; trim?: boolean }): Promise<BuiltLambda>;
export declare function kilobytes(bytes: number): string;
