// The OpenAPI 3.1 description of the API, served at GET /openapi.json. Paths and methods come from
// the route table; each route's body and answer are described here, and
// test/lambda/openapi.test.ts fails when the two disagree with each other or with the DTOs.
import { Limits } from '../../core/Limits.js';
import { ERROR_STATUS, type ErrorCode } from './errorStatus.js';
import type { Route } from './Route.js';

type Schema = Record<string, unknown>;

interface RouteDoc {
  summary: string;
  description?: string;
  /** Properties of the JSON body besides the actor's credentials. */
  body?: { properties: Record<string, Schema>; required: string[] };
  /** The 200 answer. */
  answer: Schema;
  /** Error codes this route may answer besides the ones every route may. */
  errors: ErrorCode[];
}

const id = (prefix: string, description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: Limits.idMaxChars,
  description,
  examples: [`${prefix}-01JD5X3YV7Q4J9ZK2M8N6P1R3T`],
});
const text: Schema = {
  type: 'string',
  minLength: 1,
  description: `1 to ${Limits.messageMaxChars} characters (Unicode code points), not only white space.`,
};
const clientMessageId: Schema = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description:
    'Makes the send idempotent for 24 h: a retry returns the original answer and stores nothing new; reuse with another target or text is 409. The Idempotency-Key header is an alias.',
};
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});
const sentence: Schema = { type: 'string' };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const sent = object({ message: sentence, message_id: id('msg', 'The message.') });
const blockTarget = {
  properties: {
    blocked_user_id: id('user', 'The user to block or unblock.'),
    block_user_id: id('user', 'The seed’s name for blocked_user_id.'),
  },
  required: [],
};

const DOCS: Readonly<Record<string, RouteDoc>> = {
  health: { summary: 'Liveness check.', answer: object({ status: { const: 'ok' } }), errors: [] },
  openapi: { summary: 'This description.', answer: { type: 'object' }, errors: [] },
  register_user: {
    summary: 'Register a user; the API picks the id.',
    body: {
      properties: {
        password: {
          type: 'string',
          minLength: Limits.passwordMinChars,
          maxLength: Limits.passwordMaxChars,
          description: `${Limits.passwordMinChars} to ${Limits.passwordMaxChars} characters.`,
        },
      },
      required: ['password'],
    },
    answer: object({ user_id: id('user', 'The new user.') }),
    errors: ['validation_failed'],
  },
  login: {
    summary: 'Trade a password for a bearer token.',
    description: 'Counts as a password attempt for the brute-force lockout.',
    body: {
      properties: { user_id: id('user', 'Who logs in.'), password: { type: 'string' } },
      required: ['user_id', 'password'],
    },
    answer: object({ token: { type: 'string' }, expires_at: { type: 'string', format: 'date-time' } }),
    errors: ['validation_failed', 'unauthorized', 'too_many_attempts'],
  },
  send_message: {
    summary: 'Send a direct message.',
    body: {
      properties: { receiver_id: id('user', 'Who receives it.'), message: text, client_message_id: clientMessageId },
      required: ['receiver_id', 'message'],
    },
    answer: sent,
    errors: ['validation_failed', 'user_not_found', 'blocked', 'conflict'],
  },
  check_messages: {
    summary: 'Poll the inbox.',
    description:
      'Without cursor: the newest `limit` messages, oldest first. With the `next_cursor` of the previous call: what arrived since, oldest first; `has_more` says to call again at once.',
    body: {
      properties: {
        cursor: { type: ['string', 'null'], description: 'next_cursor of the previous call.' },
        limit: { type: 'integer', minimum: 1, maximum: Limits.inboxMaxLimit, default: Limits.inboxDefaultLimit },
      },
      required: [],
    },
    answer: object({
      messages: { type: 'array', items: ref('InboxMessage') },
      next_cursor: { type: 'string' },
      has_more: { type: 'boolean' },
    }),
    errors: ['validation_failed'],
  },
  block_user: {
    summary: 'Block a user: their messages and group invitations stop reaching you.',
    body: blockTarget,
    answer: object({ message: sentence }),
    errors: ['validation_failed', 'user_not_found'],
  },
  unblock_user: {
    summary: 'Unblock a user: their future messages reach you again.',
    body: blockTarget,
    answer: object({ message: sentence }),
    errors: ['validation_failed', 'user_not_found'],
  },
  create_group: {
    summary: 'Create a group; the creator is its first admin.',
    body: {
      properties: {
        members: {
          oneOf: [
            { type: 'string', description: 'Comma-separated ids, as the seed sends them.' },
            { type: 'array', items: id('user', 'A member.') },
          ],
        },
        name: { type: ['string', 'null'], maxLength: Limits.groupNameMaxChars },
      },
      required: ['members'],
    },
    answer: object({ group_id: id('group', 'The new group.') }),
    errors: ['validation_failed', 'user_not_found', 'blocked', 'group_full'],
  },
  add_remove_users: {
    summary: 'Add a member (admins only) or remove one (admins, or anyone removing themselves).',
    body: {
      properties: {
        group_id: id('group', 'The group.'),
        user_id: id('user', 'Who is added or removed.'),
        action: { enum: ['add', 'remove'] },
      },
      required: ['group_id', 'user_id', 'action'],
    },
    answer: object({ message: sentence }),
    errors: [
      'validation_failed',
      'invalid_action',
      'user_not_found',
      'group_not_found',
      'not_a_member',
      'not_an_admin',
      'blocked',
      'group_full',
      'unavailable',
    ],
  },
  send_group_message: {
    summary: 'Send a message to every other member of a group you belong to.',
    body: {
      properties: { group_id: id('group', 'The group.'), message: text, client_message_id: clientMessageId },
      required: ['group_id', 'message'],
    },
    answer: sent,
    errors: ['validation_failed', 'group_not_found', 'not_a_member', 'conflict'],
  },
  get_group: {
    summary: 'A group and its members (members only).',
    body: { properties: { group_id: id('group', 'The group.') }, required: ['group_id'] },
    answer: object({
      group_id: { type: 'string' },
      name: { type: ['string', 'null'] },
      members: { type: 'array', items: object({ user_id: { type: 'string' }, role: ref('Role') }) },
    }),
    errors: ['validation_failed', 'group_not_found', 'not_a_member'],
  },
  list_groups: {
    summary: 'The groups you belong to, oldest first, with your role in each.',
    answer: object({
      groups: {
        type: 'array',
        items: object({ group_id: { type: 'string' }, name: { type: ['string', 'null'] }, role: ref('Role') }),
      },
    }),
    errors: [],
  },
};

/** What any route may answer, whatever it does. */
const COMMON_ERRORS: readonly ErrorCode[] = ['internal_error', 'unavailable'];
const POST_ERRORS: readonly ErrorCode[] = ['invalid_json', 'payload_too_large', 'unsupported_media_type'];
const ACTOR_ERRORS: readonly ErrorCode[] = ['unauthorized', 'too_many_attempts'];

export function routeDoc(name: string): RouteDoc | undefined {
  return DOCS[name];
}

export function documentedRouteNames(): string[] {
  return Object.keys(DOCS);
}

export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = DOCS[route.name];
    if (!doc) throw new Error(`Route ${route.name} has no OpenAPI description`);
    paths[route.path] = { [route.method.toLowerCase()]: operation(route, doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Messaging API',
      version: '1.0.0',
      description:
        'Users, direct and group messages, blocking. This describes the default `secure` profile; with API_PROFILE=seed bodies are exactly the original system’s and every error is `{"message"}`.\n\n' +
        '**Push.** Besides polling `check_messages`, a client may open a WebSocket (locally `ws://<host>/ws`, on AWS the `websocket_url` output) with `?token=<token from login>`; a missing, forged or expired token is refused at connect. ' +
        'Each message delivered to the user’s inbox is pushed as one JSON frame `{"type": "message", ...the fields of a check_messages item}`. ' +
        'Push is a hint: dedupe by `message_id` and, after any reconnect, catch up with the cursor. The socket is server-to-client: `{"type": "ping"}` is answered with `{"type": "pong"}`, other client frames are ignored; at most 10 connections per user (the oldest is closed).',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: object(
          {
            error: { enum: Object.keys(ERROR_STATUS) },
            message: sentence,
            details: { type: 'array', items: object({ field: { type: 'string' }, message: sentence }) },
            request_id: { type: 'string', description: 'On 500 only.' },
          },
          ['error', 'message'],
        ),
        InboxMessage: object(
          {
            message_id: { type: 'string' },
            timestamp: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$', description: 'UTC.' },
            sender_id: { type: 'string' },
            message: { type: 'string' },
            group_id: { type: 'string', description: 'Group messages only.' },
          },
          ['message_id', 'timestamp', 'sender_id', 'message'],
        ),
        Role: { enum: ['admin', 'member'] },
      },
    },
  };
}

function operation(route: Route, doc: RouteDoc): Record<string, unknown> {
  const actor = route.actor?.field;
  const codes = new Set<ErrorCode>([
    ...doc.errors,
    ...COMMON_ERRORS,
    ...(route.method === 'POST' ? POST_ERRORS : []),
    ...(actor ? ACTOR_ERRORS : []),
  ]);
  const statuses = new Map<number, ErrorCode[]>();
  for (const code of codes) statuses.set(ERROR_STATUS[code], [...(statuses.get(ERROR_STATUS[code]) ?? []), code]);

  const properties: Record<string, Schema> = { ...doc.body?.properties };
  if (actor) {
    properties[actor] = id('user', 'The acting user (with password); may be left out with a bearer token.');
    properties.password = { type: 'string', description: 'The acting user’s password; not needed with a bearer token.' };
  }
  const responses: Record<string, unknown> = {
    200: { description: 'Success.', content: { 'application/json': { schema: doc.answer } } },
  };
  for (const [status, errorCodes] of [...statuses].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: errorCodes.join(', '),
      content: { 'application/json': { schema: ref('Error') } },
    };
  }
  return {
    operationId: route.handler,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(actor ? { security: [{ bearer: [] }, {}] } : {}),
    ...(route.method === 'POST'
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: object(properties, doc.body?.required ?? []) } },
          },
        }
      : {}),
    responses,
  };
}
