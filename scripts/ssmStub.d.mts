// Types of ssmStub.mjs, for the TypeScript that calls it (tests, benchmarks).
export interface SsmStub {
  readonly endpoint: string;
  readonly requests: { target: string | undefined; body: any }[];
  close(): Promise<void>;
}

export declare function startSsmStub(parameters: Record<string, string>): Promise<SsmStub>;
