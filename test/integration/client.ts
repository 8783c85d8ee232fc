// HTTP-only client for the black-box suite. The target comes from API_URL, which
// scripts/integration.mjs sets from `--url` (or from the local server it starts).
import { randomBytes } from 'node:crypto';

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: any;
  text: string;
}

export function apiUrl(): string {
  const url = process.env.API_URL;
  if (!url) throw new Error('API_URL is not set: run through `npm run test:integration -- --url=<API_URL>`');
  return url.replace(/\/+$/, '');
}

export async function request(
  method: string,
  path: string,
  options: { body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const res = await fetch(apiUrl() + path, {
    method,
    headers: options.headers,
    body: options.body,
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** POST a JSON body (any value is serialised as is). */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return request('POST', path, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * POST a body exactly as given, with the given Content-Type or (null) none at all.
 * The body goes out as bytes because fetch labels a string body `text/plain` on its own.
 */
export function postRaw(path: string, body: string, contentType: string | null): Promise<ApiResponse> {
  return request('POST', path, {
    body: new TextEncoder().encode(body),
    headers: contentType === null ? {} : { 'content-type': contentType },
  });
}

export const PASSWORD = 'correct horse battery';

export async function registerUser(password = PASSWORD): Promise<string> {
  const res = await post('/register_user', { password });
  if (res.status !== 200) throw new Error(`register_user failed: ${res.status} ${res.text}`);
  return res.body.user_id as string;
}

/** Registers `count` users at once (each registration pays a full password hash). */
export function registerUsers(count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, () => registerUser()));
}

/** A well-formed user id that no deployment has issued. */
export function unknownUserId(): string {
  return `user-nx${randomBytes(10).toString('hex')}`;
}

/** A well-formed group id that no deployment has issued. */
export function unknownGroupId(): string {
  return `group-nx${randomBytes(10).toString('hex')}`;
}

/** A message text that no other test sends, so it can be recognised in an inbox. */
export function uniqueText(label = 'hello'): string {
  return `${label} ${randomBytes(6).toString('hex')}`;
}

// Typed calls for the endpoints, acting with PASSWORD. Each returns the raw response so a test can
// assert on failures as well as successes.

export interface InboxMessage {
  message_id: string;
  timestamp: string;
  sender_id: string;
  message: string;
  group_id?: string;
}

export interface InboxPage {
  messages: InboxMessage[];
  next_cursor: string;
  has_more: boolean;
}

export function sendMessage(senderId: string, receiverId: string, message: string): Promise<ApiResponse> {
  return post('/send_message', { sender_id: senderId, password: PASSWORD, receiver_id: receiverId, message });
}

export function checkMessages(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<ApiResponse> {
  return post('/check_messages', { user_id: userId, password: PASSWORD, ...options });
}

export function blockUser(userId: string, blockedUserId: string): Promise<ApiResponse> {
  return post('/block_user', { user_id: userId, password: PASSWORD, blocked_user_id: blockedUserId });
}

export function unblockUser(userId: string, blockedUserId: string): Promise<ApiResponse> {
  return post('/unblock_user', { user_id: userId, password: PASSWORD, blocked_user_id: blockedUserId });
}

export function createGroup(userId: string, members: string | string[], name?: string): Promise<ApiResponse> {
  return post('/create_group', { user_id: userId, password: PASSWORD, members, ...(name === undefined ? {} : { name }) });
}

export function addRemoveUsers(
  requesterId: string,
  groupId: string,
  userId: string,
  action: string,
): Promise<ApiResponse> {
  return post('/add_remove_users', {
    requester_id: requesterId,
    password: PASSWORD,
    group_id: groupId,
    user_id: userId,
    action,
  });
}

export function sendGroupMessage(senderId: string, groupId: string, message: string): Promise<ApiResponse> {
  return post('/send_group_message', { sender_id: senderId, password: PASSWORD, group_id: groupId, message });
}

export function getGroup(userId: string, groupId: string): Promise<ApiResponse> {
  return post('/get_group', { user_id: userId, password: PASSWORD, group_id: groupId });
}

export function listGroups(userId: string): Promise<ApiResponse> {
  return post('/list_groups', { user_id: userId, password: PASSWORD });
}

function okBody<T>(res: ApiResponse, what: string): T {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${res.text}`);
  return res.body as T;
}

/** Sends a direct message that must succeed; returns its message_id. */
export async function mustSendMessage(senderId: string, receiverId: string, message: string): Promise<string> {
  return okBody<{ message_id: string }>(await sendMessage(senderId, receiverId, message), 'send_message').message_id;
}

/** Sends a group message that must succeed; returns its message_id. */
export async function mustSendGroupMessage(senderId: string, groupId: string, message: string): Promise<string> {
  return okBody<{ message_id: string }>(await sendGroupMessage(senderId, groupId, message), 'send_group_message')
    .message_id;
}

/** Creates a group that must succeed; returns its group_id. */
export async function mustCreateGroup(userId: string, members: string | string[], name?: string): Promise<string> {
  return okBody<{ group_id: string }>(await createGroup(userId, members, name), 'create_group').group_id;
}

/** A check_messages call that must succeed. */
export async function mustCheckMessages(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<InboxPage> {
  return okBody<InboxPage>(await checkMessages(userId, options), 'check_messages');
}

/** The cursor just past a user's newest message: what follows it is everything received from now on. */
export async function inboxEnd(userId: string): Promise<string> {
  return (await mustCheckMessages(userId, { limit: 1 })).next_cursor;
}

/**
 * Follows the cursor chain from `cursor` until has_more is false.
 * Returns every message received on the way, the pages, and the cursor to continue from.
 */
export async function readNewMessages(
  userId: string,
  cursor: string,
  limit?: number,
): Promise<{ messages: InboxMessage[]; pages: InboxPage[]; cursor: string }> {
  const pages: InboxPage[] = [];
  let next = cursor;
  for (let call = 0; call < 1000; call++) {
    const page = await mustCheckMessages(userId, limit === undefined ? { cursor: next } : { cursor: next, limit });
    pages.push(page);
    next = page.next_cursor;
    if (!page.has_more) return { messages: pages.flatMap((p) => p.messages), pages, cursor: next };
  }
  throw new Error('check_messages kept answering has_more: true for 1000 calls');
}
