// The route table: every endpoint of the API, its acting-user field, its body and what it does.
// The Lambda handlers, the local server's router and the OpenAPI description derive from this one list.
import { DomainError } from '../../core/DomainError.js';
import { AddRemoveUsersBody } from './dto/AddRemoveUsersBody.js';
import { decodeCursor, encodeCursor } from './CursorCodec.js';
import { BlockUserBody, blockTarget } from './dto/BlockUserBody.js';
import { CheckMessagesBody } from './dto/CheckMessagesBody.js';
import { CreateGroupBody } from './dto/CreateGroupBody.js';
import { GroupIdBody } from './dto/GroupIdBody.js';
import { LoginBody } from './dto/LoginBody.js';
import { messageView } from './messageView.js';
import { parseIdList } from './dto/IsId.js';
import { RegisterUserBody } from './dto/RegisterUserBody.js';
import { SendGroupMessageBody } from './dto/SendGroupMessageBody.js';
import { SendMessageBody } from './dto/SendMessageBody.js';
import { openApiDocument } from './openapi.js';
import type { Route } from './Route.js';

function route<Body extends object>(definition: Route<Body>): Route<Body> {
  return definition;
}

export const ROUTES: readonly Route[] = [
  route({
    name: 'health',
    handler: 'health',
    method: 'GET',
    path: '/health',
    run: async () => ({ status: 'ok' }),
  }),
  route({
    name: 'openapi',
    handler: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    run: async () => openApiDocument(ROUTES),
  }),
  route({
    name: 'register_user',
    handler: 'registerUser',
    method: 'POST',
    path: '/register_user',
    body: RegisterUserBody,
    run: async ({ body, clientAddress, useCases }) => {
      const { userId } = await useCases.registerUser.execute({ password: body.password, clientAddress });
      return { user_id: userId };
    },
  }),
  route({
    name: 'login',
    handler: 'login',
    method: 'POST',
    path: '/login',
    body: LoginBody,
    run: async ({ body, clientAddress, useCases }) => {
      const { token, expiresAt } = await useCases.login.execute({
        userId: body.user_id,
        password: body.password,
        clientAddress,
      });
      return { token, expires_at: isoSeconds(expiresAt) };
    },
  }),
  route({
    name: 'send_message',
    handler: 'sendMessage',
    method: 'POST',
    path: '/send_message',
    actor: { field: 'sender_id' },
    body: SendMessageBody,
    run: async ({ body, actorId, headers, useCases }) => {
      const { messageId } = await useCases.sendMessage.execute({
        senderId: actorId,
        receiverId: body.receiver_id,
        text: body.message,
        clientMessageId: clientMessageId(body.client_message_id, headers),
      });
      return { message: `Message sent to ${body.receiver_id}.`, message_id: messageId };
    },
  }),
  route({
    name: 'check_messages',
    handler: 'checkMessages',
    method: 'POST',
    path: '/check_messages',
    actor: { field: 'user_id' },
    body: CheckMessagesBody,
    run: async ({ body, actorId, useCases }) => {
      const page = await useCases.checkMessages.execute({
        userId: actorId,
        cursor: body.cursor ? decodeCursor(body.cursor) : undefined,
        limit: body.limit,
      });
      return {
        messages: page.messages.map(messageView),
        next_cursor: encodeCursor(page.nextCursor),
        has_more: page.hasMore,
      };
    },
  }),
  route({
    name: 'block_user',
    handler: 'blockUser',
    method: 'POST',
    path: '/block_user',
    actor: { field: 'user_id' },
    body: BlockUserBody,
    run: async ({ body, actorId, useCases }) => {
      const target = blockTarget(body);
      await useCases.blockUser.execute({ userId: actorId, blockedUserId: target });
      return { message: `You have blocked ${target}.` };
    },
  }),
  route({
    name: 'unblock_user',
    handler: 'unblockUser',
    method: 'POST',
    path: '/unblock_user',
    actor: { field: 'user_id' },
    body: BlockUserBody,
    run: async ({ body, actorId, useCases }) => {
      const target = blockTarget(body);
      await useCases.unblockUser.execute({ userId: actorId, blockedUserId: target });
      return { message: `You have unblocked ${target}.` };
    },
  }),
  route({
    name: 'create_group',
    handler: 'createGroup',
    method: 'POST',
    path: '/create_group',
    actor: { field: 'user_id', anonymousUnderOpenManagement: true },
    body: CreateGroupBody,
    run: async ({ body, actorId, useCases }) => {
      const { groupId } = await useCases.createGroup.execute({
        creatorId: actorId || undefined,
        memberIds: parseIdList(body.members),
        name: body.name ?? undefined,
      });
      return { group_id: groupId };
    },
  }),
  route({
    name: 'add_remove_users',
    handler: 'addRemoveUsers',
    method: 'POST',
    path: '/add_remove_users',
    actor: { field: 'requester_id', anonymousUnderOpenManagement: true },
    body: AddRemoveUsersBody,
    run: async ({ body, actorId, useCases }) => {
      const input = { requesterId: actorId || undefined, groupId: body.group_id, userId: body.user_id };
      if (body.action === 'add') {
        const { changed } = await useCases.addGroupMember.execute(input);
        return { message: changed ? `${body.user_id} has been added to the group.` : `${body.user_id} is already in the group.` };
      }
      if (body.action === 'remove') {
        const { changed } = await useCases.removeGroupMember.execute(input);
        return { message: changed ? `${body.user_id} has been removed from the group.` : `${body.user_id} is not in the group.` };
      }
      throw new DomainError('invalid_action', 'The action must be "add" or "remove".');
    },
  }),
  route({
    name: 'send_group_message',
    handler: 'sendGroupMessage',
    method: 'POST',
    path: '/send_group_message',
    actor: { field: 'sender_id' },
    body: SendGroupMessageBody,
    run: async ({ body, actorId, headers, useCases }) => {
      const { messageId } = await useCases.sendGroupMessage.execute({
        senderId: actorId,
        groupId: body.group_id,
        text: body.message,
        clientMessageId: clientMessageId(body.client_message_id, headers),
      });
      return { message: `Message sent to ${body.group_id}.`, message_id: messageId };
    },
  }),
  route({
    name: 'get_group',
    handler: 'getGroup',
    method: 'POST',
    path: '/get_group',
    actor: { field: 'user_id' },
    body: GroupIdBody,
    run: async ({ body, actorId, useCases }) => {
      const group = await useCases.getGroup.execute({ userId: actorId, groupId: body.group_id });
      return {
        group_id: group.id,
        name: group.name,
        members: group.members.map((m) => ({ user_id: m.userId, role: m.role })),
      };
    },
  }),
  route({
    name: 'list_groups',
    handler: 'listGroups',
    method: 'POST',
    path: '/list_groups',
    actor: { field: 'user_id' },
    run: async ({ actorId, useCases }) => {
      const groups = await useCases.listGroups.execute({ userId: actorId });
      return { groups: groups.map((g) => ({ group_id: g.groupId, name: g.name, role: g.role })) };
    },
  }),
];

/** `client_message_id` from the body, or its alias, the Idempotency-Key header. */
function clientMessageId(fromBody: string | null | undefined, headers: Readonly<Record<string, string>>): string | undefined {
  const fromHeader = headers['idempotency-key'];
  // An empty id is an id, and a malformed one: the use case refuses it rather than ignoring it.
  const given = fromBody ?? undefined;
  if (given !== undefined && fromHeader !== undefined && fromHeader !== given) {
    throw DomainError.validation('Idempotency-Key', 'The Idempotency-Key header and client_message_id differ.');
  }
  return given ?? fromHeader;
}

/** ISO 8601 UTC to the second, as SPEC asks for times other than a message's timestamp. */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
