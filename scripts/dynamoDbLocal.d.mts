// Types of dynamoDbLocal.mjs, for the TypeScript that starts DynamoDB Local (tests, scripts).
export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export declare function startDynamoDbLocal(options?: {
  port?: number;
  dbPath?: string;
  /** false: a database per access key id and region, as DynamoDB Local runs by default. */
  sharedDb?: boolean;
}): Promise<RunningDynamoDbLocal>;

/** Creates `directory` if needed and makes it and its files readable by this user only (0700, 0600). */
export declare function makePrivate(directory: string): void;

/** A TCP port free on loopback now (the kernel's pick). */
export declare function freePort(): Promise<number>;
