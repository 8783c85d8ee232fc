// SPEC 1: storage that does not answer never makes a request hang; within 10 seconds the answer
// is 503 or the real one. Each call to DynamoDB has its own limit, but a request makes several
// (and a big group send dozens): the pipeline runs each request within one budget, and the
// DynamoDB table asks how much of it is left before every call (createDynamoDbTable's timeLeft).
import { AsyncLocalStorage } from 'node:async_hooks';

/** SPEC's 10 s, less 1.5 s for the handler's own work, the response and API Gateway (or a busy machine). */
export const REQUEST_BUDGET_MS = 8_500;

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` (one request) with REQUEST_BUDGET_MS to spend from now. */
export function withinRequestBudget<T>(work: () => Promise<T>, budgetMs = REQUEST_BUDGET_MS): Promise<T> {
  return deadlines.run(performance.now() + budgetMs, work);
}

/** Milliseconds the current request has left; Infinity outside a request (scripts, consumers). */
export function requestTimeLeft(): number {
  const deadline = deadlines.getStore();
  return deadline === undefined ? Infinity : deadline - performance.now();
}
