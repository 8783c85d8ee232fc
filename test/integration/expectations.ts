// Chai expectations shared by the black-box suite: the error shape, the standard headers, the id and
// timestamp formats, the success bodies, and the credential checks every authenticated endpoint must make.
// Each is profile-aware (SPEC 7): the seed profile answers exactly the original system's bodies and
// `{"message"}` for every error, with the same status codes as the secure profile.
import { expect } from 'chai';
import { PASSWORD, post, sentKey, unknownUserId, type ApiResponse, type InboxMessage, type InboxPage } from './client.js';
import { SEED } from './profile.js';

export const USER_ID = /^user-[a-zA-Z0-9]+$/;
export const GROUP_ID = /^group-[a-zA-Z0-9]+$/;
export const MESSAGE_ID = /^msg-[a-zA-Z0-9]+$/;
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Asserts a 200 JSON object and returns its body. */
export function expectOk(res: ApiResponse, behaviour: string): any {
  expect(res.status, `${behaviour}: expected 200, got ${res.status} ${res.text}`).to.equal(200);
  expect(res.body, `${behaviour}: a success body is a JSON object`).to.be.an('object');
  return res.body;
}

/** A body with exactly these keys, no more and no fewer. */
export function expectKeys(body: unknown, keys: readonly string[], behaviour: string): void {
  expect(body, `${behaviour}: the body is a JSON object`).to.be.an('object');
  expect(Object.keys(body as object).sort(), `${behaviour}: exactly the keys ${keys.join(', ')}`).to.deep.equal(
    [...keys].sort(),
  );
}

/** The headers SPEC section 1 puts on every response, plus the request id the implementation adds. */
export function expectStandardHeaders(res: ApiResponse, behaviour: string): void {
  expect(res.headers.get('content-type') ?? '', `${behaviour}: Content-Type is application/json`).to.match(
    /^application\/json\b/i,
  );
  expect(res.headers.get('cache-control') ?? '', `${behaviour}: Cache-Control is no-store`).to.match(/\bno-store\b/i);
  expect(res.headers.get('x-content-type-options'), `${behaviour}: X-Content-Type-Options is nosniff`).to.equal(
    'nosniff',
  );
  expect(res.headers.get('x-request-id') ?? '', `${behaviour}: X-Request-Id is present`).to.not.equal('');
}

/**
 * An error response: the status, the body, and nothing leaked. Secure: `{"error": code, "message": sentence}`
 * (optionally `details`). Seed: exactly `{"message": sentence}`, whatever the code. With `message`, the
 * sentence must be exactly that.
 */
export function expectError(res: ApiResponse, status: number, code: string, behaviour: string, message?: string): void {
  expect(res.status, `${behaviour}: expected ${status} ${code}, got ${res.status} ${res.text}`).to.equal(status);
  expect(res.body, `${behaviour}: the error body is a JSON object (${res.text})`).to.be.an('object');
  if (SEED) {
    expectKeys(res.body, ['message'], `${behaviour}: a seed-profile error body is {"message"} only`);
  } else {
    expect(res.body.error, `${behaviour}: error code`).to.equal(code);
    for (const key of Object.keys(res.body)) {
      expect(['error', 'message', 'details'], `${behaviour}: no unexpected key "${key}" in an error body`).to.include(
        key,
      );
    }
  }
  expect(res.body.message, `${behaviour}: the error carries a human message`).to.be.a('string').that.is.not.empty;
  if (message !== undefined) expect(res.body.message, `${behaviour}: the error sentence`).to.equal(message);
  expect(res.text, `${behaviour}: no stack trace in an error body`).to.not.match(/\n\s+at |\bat \S+ \(.*:\d+:\d+\)/);
}

/**
 * 400 validation_failed. In the secure profile its details name every field in `fields` (a name, or a
 * pattern for a field with aliases), each as {field, message}. The seed profile has no details: there
 * the case checks the 400 and its `{"message"}` body.
 */
export function expectValidationFailed(
  res: ApiResponse,
  fields: readonly (string | RegExp)[],
  behaviour: string,
): void {
  expectError(res, 400, 'validation_failed', behaviour);
  if (SEED) return;
  const details: unknown = res.body.details;
  expect(details, `${behaviour}: validation_failed carries a details array`).to.be.an('array').that.is.not.empty;
  for (const detail of details as unknown[]) {
    expect(detail, `${behaviour}: each detail is an object`).to.be.an('object');
    const { field, message } = detail as { field: unknown; message: unknown };
    expect(field, `${behaviour}: each detail names a field`).to.be.a('string');
    expect(message, `${behaviour}: each detail has a message`).to.be.a('string').that.is.not.empty;
  }
  const named = (details as { field: string }[]).map((d) => d.field);
  for (const field of fields) {
    if (typeof field === 'string') {
      expect(named, `${behaviour}: details name the bad field "${field}"`).to.include(field);
    } else {
      expect(named.some((f) => field.test(f)), `${behaviour}: details name a field matching ${field}`).to.equal(true);
    }
  }
}

/** A timestamp in the seed's format `YYYY-MM-DD HH:MM:SS` that is also a real UTC date and time. */
export function expectTimestamp(value: unknown, behaviour: string): void {
  expect(value, `${behaviour}: timestamp is YYYY-MM-DD HH:MM:SS`).to.be.a('string').that.matches(TIMESTAMP);
  const parsed = new Date(`${(value as string).replace(' ', 'T')}Z`);
  expect(Number.isNaN(parsed.getTime()), `${behaviour}: timestamp is a real date`).to.equal(false);
  expect(parsed.toISOString().slice(0, 19).replace('T', ' '), `${behaviour}: timestamp is a real date`).to.equal(
    value,
  );
}

/**
 * A successful send_message or send_group_message: "Message sent to <target>." plus a msg- message_id in
 * the secure profile, exactly `{"message"}` in the seed profile. Returns the sent message's key (see
 * messageKey in client.ts).
 */
export function expectSent(res: ApiResponse, target: string, text: string, behaviour: string): string {
  const body = expectOk(res, behaviour);
  expect(body.message, `${behaviour}: the seed sentence names ${target}`).to.equal(`Message sent to ${target}.`);
  if (SEED) {
    expectKeys(body, ['message'], `${behaviour}: the seed profile answers {"message"} only`);
  } else {
    expectKeys(body, ['message', 'message_id'], `${behaviour}: the secure profile adds message_id`);
    expect(body.message_id, `${behaviour}: message_id matches ^msg-[a-zA-Z0-9]+$`).to.be.a('string').that.matches(
      MESSAGE_ID,
    );
  }
  return sentKey(res, text);
}

/**
 * A check_messages body: `{"messages", "next_cursor", "has_more"}` in the secure profile (next_cursor a
 * non-empty string, has_more a boolean), exactly `{"messages"}` in the seed profile.
 */
export function expectInboxBody(body: unknown, behaviour: string): InboxPage {
  if (SEED) {
    expectKeys(body, ['messages'], `${behaviour}: a seed-profile inbox is {"messages"} only`);
  } else {
    expectKeys(body, ['messages', 'next_cursor', 'has_more'], `${behaviour}: a secure-profile inbox`);
    const { next_cursor, has_more } = body as InboxPage;
    expect(next_cursor, `${behaviour}: next_cursor is always a non-empty string`).to.be.a('string').that.is.not.empty;
    expect(has_more, `${behaviour}: has_more is a boolean`).to.be.a('boolean');
  }
  expect((body as InboxPage).messages, `${behaviour}: messages is an array`).to.be.an('array');
  return body as InboxPage;
}

/**
 * The answer to a check_messages call without cursor: the newest page, so (secure) has_more is false:
 * nothing newer is waiting. The seed profile has no has_more; there the body shape is checked.
 */
export function expectNewestPage(body: unknown, behaviour: string): InboxPage {
  const page = expectInboxBody(body, behaviour);
  if (!SEED) expect(page.has_more, `${behaviour}: a page without cursor has has_more false`).to.equal(false);
  return page;
}

/**
 * One inbox item: `{"message_id","timestamp","sender_id","message"}` (plus `group_id` for a group
 * message) in the secure profile; the same without message_id in the seed profile.
 */
export function expectInboxItem(item: InboxMessage, kind: 'direct' | 'group', behaviour: string): void {
  const keys = ['timestamp', 'sender_id', 'message', ...(kind === 'group' ? ['group_id'] : [])];
  expectKeys(item, SEED ? keys : ['message_id', ...keys], `${behaviour}: a ${kind} message has exactly these fields`);
  if (!SEED) expect(item.message_id, `${behaviour}: message_id has the msg- format`).to.match(MESSAGE_ID);
  expectTimestamp(item.timestamp, behaviour);
}

/**
 * The credential checks made whenever credentials are sent: a wrong password and an unknown acting user
 * give the same 401 byte for byte, which never echoes the password. `body` is an otherwise valid request
 * body. Costs the user one failed attempt (the lockout allows ten).
 */
export async function expectSentCredentialsChecked(
  path: string,
  actingField: string,
  userId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const wrongPassword = 'not the password 42';
  const [wrong, unknown] = await Promise.all([
    post(path, { ...body, [actingField]: userId, password: wrongPassword }),
    post(path, { ...body, [actingField]: unknownUserId(), password: PASSWORD }),
  ]);
  expectError(wrong, 401, 'unauthorized', `${path} with a wrong password`);
  expectError(unknown, 401, 'unauthorized', `${path} with an unknown ${actingField}`);
  expect(unknown.text, `${path}: an unknown user and a wrong password give byte-identical bodies`).to.equal(
    wrong.text,
  );
  expect(wrong.text, `${path}: a 401 never echoes the password`).to.not.include(wrongPassword);
}

/**
 * The credential checks of an endpoint that always authenticates: those of expectSentCredentialsChecked,
 * and a request without a password is a 401 too.
 */
export async function expectCredentialsChecked(
  path: string,
  actingField: string,
  userId: string,
  body: Record<string, unknown>,
): Promise<void> {
  await expectSentCredentialsChecked(path, actingField, userId, body);
  expectError(await post(path, { ...body, [actingField]: userId }), 401, 'unauthorized', `${path} without a password`);
}
