// The push side's entry points, listed once: the WebSocket API's routes and the stream consumer.
// handlers.ts exports them, Terraform wires them, test/infra checks the two agree.

export const WEBSOCKET_ROUTES = [
  { routeKey: '$connect', handler: 'wsConnect' },
  { routeKey: '$disconnect', handler: 'wsDisconnect' },
  { routeKey: '$default', handler: 'wsMessage' },
] as const;

/** Consumes the table's stream and pushes each new inbox item. */
export const STREAM_HANDLER = 'pushFromStream';
