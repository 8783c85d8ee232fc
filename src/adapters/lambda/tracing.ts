// X-Ray tracing with Powertools Tracer, when TRACING=on (infra/terraform's var.tracing, which also
// turns on the functions' active tracing). The tracer records every outgoing HTTPS call (DynamoDB,
// SSM, the Management API) as a subsegment of the invocation's trace. Loaded only when on: its
// X-Ray SDK costs every cold start (README, Deploy to AWS), so a deployment without tracing does
// not evaluate it.
export async function startTracing(serviceName: string): Promise<void> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  new Tracer({ serviceName, enabled: true, captureHTTPsRequests: true });
}
