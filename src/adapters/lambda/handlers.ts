// The Lambda entry points: one exported handler per route (named in the route table), plus
// `router` for API Gateway's $default route and the local server, and the push handlers. The
// container is built once, when Lambda loads this module (its INIT phase): the token secret is
// read from SSM then, once per instance, when TOKEN_SECRET_PARAMETER names it.
import type { LambdaHandler } from './ApiHandler.js';
import type { WebSocketLambda } from './WebSocketHandler.js';
import { loadConfigWithSecrets } from './config.js';
import { buildContainer, resolve } from './container.js';
import type { RefusedRequestCode } from './refusedRequest.js';
import { ROUTES } from './routes.js';
import { TYPES } from './TYPES.js';

const config = await loadConfigWithSecrets(process.env, async () => (await import('./secureParameter.js')).readSecureParameter);
if (config.tracing) await (await import('./tracing.js')).startTracing(config.metrics.serviceName);
const container = buildContainer(config);
for (const warning of config.warnings) resolve(container, TYPES.RequestLog).warn(warning);
const api = resolve(container, TYPES.ApiHandler);
const webSocket = resolve(container, TYPES.WebSocketHandler);

function handlerFor(name: string): LambdaHandler {
  const route = ROUTES.find((r) => r.handler === name);
  if (!route) throw new Error(`No route has the handler ${name}`);
  return api.forRoute(route);
}

export const router: LambdaHandler = api.router;
export const transportError = (code: RefusedRequestCode, requestId: string) => api.transportError(code, requestId);

/** The log, for the local server's own lines (failures outside any handler). */
export const requestLog = resolve(container, TYPES.RequestLog);

export const health = handlerFor('health');
export const openapi = handlerFor('openapi');
export const registerUser = handlerFor('registerUser');
export const login = handlerFor('login');
export const sendMessage = handlerFor('sendMessage');
export const checkMessages = handlerFor('checkMessages');
export const blockUser = handlerFor('blockUser');
export const unblockUser = handlerFor('unblockUser');
export const createGroup = handlerFor('createGroup');
export const addRemoveUsers = handlerFor('addRemoveUsers');
export const sendGroupMessage = handlerFor('sendGroupMessage');
export const getGroup = handlerFor('getGroup');
export const listGroups = handlerFor('listGroups');

// The push connections (API Gateway WebSocket API: $connect, $disconnect, $default) and the
// consumer of the table's stream that pushes every new inbox item.
export const wsConnect: WebSocketLambda = webSocket.connect;
export const wsDisconnect: WebSocketLambda = webSocket.disconnect;
export const wsMessage: WebSocketLambda = webSocket.message;
export const pushFromStream = resolve(container, TYPES.StreamPushHandler).handle;

/** The local two-region harness: this server's /@connections (undefined otherwise). */
export const localManagement = container.isBound(TYPES.LocalManagement) ? resolve(container, TYPES.LocalManagement) : undefined;

/**
 * The local two-region harness: the stream consumer each local server runs on its own DynamoDB
 * Local (server.ts), with its table settings; undefined otherwise.
 */
export const localStream =
  config.push.via === 'localStream' && config.dynamodb ? { settings: config.dynamodb, consume: pushFromStream } : undefined;

/** The local server's WebSockets register here; undefined on Lambda, where API Gateway holds them. */
export const localConnections = container.isBound(TYPES.LocalConnections) ? resolve(container, TYPES.LocalConnections) : undefined;
