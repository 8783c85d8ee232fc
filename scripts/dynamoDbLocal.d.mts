// Types of dynamoDbLocal.mjs, for the TypeScript that starts DynamoDB Local (tests, scripts).
export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export declare function startDynamoDbLocal(options?: { port?: number; dbPath?: string }): Promise<RunningDynamoDbLocal>;
