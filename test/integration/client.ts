// HTTP-only client for the black-box suite. The target comes from API_URL, which
// scripts/integration.mjs sets from `--url` (or from the local server it starts).
import { randomBytes } from 'node:crypto';
import { SEED } from './profile.js';

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

/**
 * Several regions (`npm run test:multi-region`): what the local replica serves (the inbox and
 * list_groups) may lag what another region just wrote, by the replication lag; SPEC promises
 * delivery, not immediate visibility. So a read of those, after any request that may have
 * written, first waits until what was written has replicated: through the harness's barrier
 * (REPLICATION_BARRIER_URL), or, against a deployment, for VISIBILITY_BOUND_MS. One region: no wait.
 */
const LOCAL_REPLICA_READS = new Set(['/check_messages', '/list_groups']);
let writtenSinceVisible = false;
/** The wait in progress: reads made at once (Promise.all) all wait for it. */
let visible: Promise<void> = Promise.resolve();

function awaitVisibility(path: string): Promise<void> {
  const barrier = process.env.REPLICATION_BARRIER_URL;
  const bound = Number(process.env.VISIBILITY_BOUND_MS || 0);
  if (!barrier && bound === 0) return Promise.resolve();
  if (!LOCAL_REPLICA_READS.has(path.split('?')[0]!)) {
    writtenSinceVisible = true;
    return Promise.resolve();
  }
  if (!writtenSinceVisible) return visible;
  writtenSinceVisible = false;
  visible = barrier
    ? fetch(barrier, { method: 'POST' }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 204) throw new Error(`the replication barrier answered ${res.status}`);
      })
    : new Promise((resolve) => setTimeout(resolve, bound));
  return visible;
}

export async function request(
  method: string,
  path: string,
  options: { body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  await awaitVisibility(path);
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

/**
 * An acting user id that is not even id-shaped (no `user-` prefix). Different on every call, so that failed
 * attempts with it never add up to a lockout (SPEC 2) when the suite runs again and again against one deployment.
 */
export function notAnIdUser(): string {
  return `nobody${randomBytes(6).toString('hex')}`;
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

/**
 * An inbox item. The secure profile returns message_id; the seed profile returns only timestamp,
 * sender_id, message and (for group messages) group_id.
 */
export interface InboxMessage {
  message_id?: string;
  timestamp: string;
  sender_id: string;
  message: string;
  group_id?: string;
}

/** A check_messages body: `{"messages"}` in the seed profile, plus next_cursor and has_more in secure. */
export interface InboxPage {
  messages: InboxMessage[];
  next_cursor?: string;
  has_more?: boolean;
}

/** A secure-profile check_messages body, which always carries the cursor chain. */
export interface CursorPage extends InboxPage {
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

export function login(userId: string, password = PASSWORD): Promise<ApiResponse> {
  return post('/login', { user_id: userId, password });
}

/** A token from `login` that must succeed. */
export async function mustLogin(userId: string, password = PASSWORD): Promise<string> {
  return okBody<{ token: string }>(await login(userId, password), 'login').token;
}

/** The Authorization header carrying a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function okBody<T>(res: ApiResponse, what: string): T {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${res.text}`);
  return res.body as T;
}

/**
 * How a test recognises a message it sent: by message_id in the secure profile. The seed profile returns
 * no message ids, so there a message is recognised by its text; every test that compares keys sends
 * texts that are unique within the inbox it reads.
 */
export function messageKey(message: InboxMessage): string {
  return SEED ? message.message : (message.message_id as string);
}

/** The key (see messageKey) of a message just sent with `text`, from the send's successful response. */
export function sentKey(res: ApiResponse, text: string): string {
  return SEED ? text : (res.body?.message_id as string);
}

/** The keys (see messageKey) of some inbox items, in order. */
export function keysOf(messages: readonly InboxMessage[]): string[] {
  return messages.map(messageKey);
}

/** Sends a direct message that must succeed; returns its key (see messageKey). */
export async function mustSendMessage(senderId: string, receiverId: string, message: string): Promise<string> {
  const res = await sendMessage(senderId, receiverId, message);
  okBody(res, 'send_message');
  return sentKey(res, message);
}

/** Sends a group message that must succeed; returns its key (see messageKey). */
export async function mustSendGroupMessage(senderId: string, groupId: string, message: string): Promise<string> {
  const res = await sendGroupMessage(senderId, groupId, message);
  okBody(res, 'send_group_message');
  return sentKey(res, message);
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

/** A secure-profile check_messages call that must succeed and carry next_cursor and has_more. */
export async function mustCheckCursorPage(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<CursorPage> {
  const page = await mustCheckMessages(userId, options);
  if (typeof page.next_cursor !== 'string' || typeof page.has_more !== 'boolean') {
    throw new Error(`check_messages answered no next_cursor or has_more: ${JSON.stringify(page).slice(0, 300)}`);
  }
  return page as CursorPage;
}

/** Secure profile: the cursor just past a user's newest message. */
export async function cursorAtEnd(userId: string): Promise<string> {
  return (await mustCheckCursorPage(userId, { limit: 1 })).next_cursor;
}

/**
 * A point in a user's inbox from which readNewMessages returns what arrives later. In the secure profile
 * it is the cursor just past the newest message. The seed profile has no cursor chain, so there it is
 * the newest page (500 messages, the most one call returns) as it stood, and what arrives later is
 * whatever a later newest page holds beyond it.
 */
export type InboxMark = { readonly cursor: string } | { readonly seen: readonly string[] };

/** Everything an inbox item says, as one string: two deliveries of one message are two equal strings. */
function itemIdentity(m: InboxMessage): string {
  return JSON.stringify([m.message_id ?? null, m.timestamp, m.sender_id, m.group_id ?? null, m.message]);
}

const SEED_PAGE = 500;

export async function inboxEnd(userId: string): Promise<InboxMark> {
  if (SEED) return { seen: (await mustCheckMessages(userId, { limit: SEED_PAGE })).messages.map(itemIdentity) };
  return { cursor: await cursorAtEnd(userId) };
}

/**
 * Everything a user received after `mark`, oldest first, and the pages read on the way.
 * Secure: follows the cursor chain until has_more is false, `limit` messages per call.
 * Seed: one newest page of 500 minus what the mark had seen (each seen item once); `limit` is not used.
 */
export async function readNewMessages(
  userId: string,
  mark: InboxMark,
  limit?: number,
): Promise<{ messages: InboxMessage[]; pages: InboxPage[] }> {
  if ('seen' in mark) {
    const page = await mustCheckMessages(userId, { limit: SEED_PAGE });
    const unmatched = new Map<string, number>();
    for (const identity of mark.seen) unmatched.set(identity, (unmatched.get(identity) ?? 0) + 1);
    const messages = page.messages.filter((m) => {
      const left = unmatched.get(itemIdentity(m)) ?? 0;
      if (left === 0) return true;
      unmatched.set(itemIdentity(m), left - 1);
      return false;
    });
    return { messages, pages: [page] };
  }
  const pages: CursorPage[] = [];
  let next = mark.cursor;
  for (let call = 0; call < 1000; call++) {
    const page = await mustCheckCursorPage(userId, limit === undefined ? { cursor: next } : { cursor: next, limit });
    pages.push(page);
    next = page.next_cursor;
    if (!page.has_more) return { messages: pages.flatMap((p) => p.messages), pages };
  }
  throw new Error('check_messages kept answering has_more: true for 1000 calls');
}
