// Chai expectations shared by the black-box suite: the error shape, the standard headers, the id and
// timestamp formats, and the credential checks every authenticated endpoint must make.
import { expect } from 'chai';
import { PASSWORD, post, unknownUserId, type ApiResponse } from './client.js';

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

/** An error response: the status, `{"error": code, "message": sentence}`, and nothing leaked. */
export function expectError(res: ApiResponse, status: number, code: string, behaviour: string): void {
  expect(res.status, `${behaviour}: expected ${status} ${code}, got ${res.status} ${res.text}`).to.equal(status);
  expect(res.body, `${behaviour}: the error body is a JSON object (${res.text})`).to.be.an('object');
  expect(res.body.error, `${behaviour}: error code`).to.equal(code);
  expect(res.body.message, `${behaviour}: the error carries a human message`).to.be.a('string').that.is.not.empty;
  for (const key of Object.keys(res.body)) {
    expect(['error', 'message', 'details'], `${behaviour}: no unexpected key "${key}" in an error body`).to.include(
      key,
    );
  }
  expect(res.text, `${behaviour}: no stack trace in an error body`).to.not.match(/\n\s+at |\bat \S+ \(.*:\d+:\d+\)/);
}

/** 400 validation_failed whose details name every field in `fields` (each as {field, message}). */
export function expectValidationFailed(res: ApiResponse, fields: readonly string[], behaviour: string): void {
  expectError(res, 400, 'validation_failed', behaviour);
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
    expect(named, `${behaviour}: details name the bad field "${field}"`).to.include(field);
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
 * The credential checks of an authenticated endpoint: a wrong password and an unknown acting user give
 * the same 401 byte for byte, and a request without a password is a 401 too. `body` is an otherwise
 * valid request body. Costs the user one failed attempt (the lockout allows ten).
 */
export async function expectCredentialsChecked(
  path: string,
  actingField: string,
  userId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const wrongPassword = 'not the password 42';
  const [wrong, unknown, missing] = await Promise.all([
    post(path, { ...body, [actingField]: userId, password: wrongPassword }),
    post(path, { ...body, [actingField]: unknownUserId(), password: PASSWORD }),
    post(path, { ...body, [actingField]: userId }),
  ]);
  expectError(wrong, 401, 'unauthorized', `${path} with a wrong password`);
  expectError(unknown, 401, 'unauthorized', `${path} with an unknown ${actingField}`);
  expect(unknown.text, `${path}: an unknown user and a wrong password give byte-identical bodies`).to.equal(
    wrong.text,
  );
  expect(wrong.text, `${path}: a 401 never echoes the password`).to.not.include(wrongPassword);
  expectError(missing, 401, 'unauthorized', `${path} without a password`);
}
