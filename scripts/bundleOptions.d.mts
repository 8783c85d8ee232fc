// Types of bundleOptions.mjs, for the TypeScript that reads it (tests).
import type { BuildOptions } from 'esbuild';

export declare const TRIMMED_ALIASES: Record<string, string>;
export declare const LAMBDA_NODE_MAJOR: number;
export declare const LOCAL_NODE_TARGET: string;
export declare const bundleOptions: BuildOptions;
