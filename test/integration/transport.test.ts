// SPEC section 1: methods, paths, content types, body limits, JSON parsing and the headers on every response.
import { expect } from 'chai';
import { PASSWORD, post, postRaw, registerUser, request, unknownUserId, type ApiResponse } from './client.js';
import { USER_ID, expectError, expectOk, expectStandardHeaders } from './expectations.js';

/** Every POST endpoint in scope. */
const POST_ENDPOINTS = [
  '/register_user',
  '/login',
  '/send_message',
  '/check_messages',
  '/block_user',
  '/unblock_user',
  '/create_group',
  '/add_remove_users',
  '/send_group_message',
  '/get_group',
  '/list_groups',
] as const;

const KIB_64 = 64 * 1024;

/** A JSON object body of exactly `totalBytes` UTF-8 bytes: `base` plus an ignored padding field. */
function bodyOfSize(base: Record<string, unknown>, totalBytes: number): string {
  const empty = JSON.stringify({ ...base, padding: '' });
  const missing = totalBytes - Buffer.byteLength(empty);
  if (missing < 0) throw new Error('base body is already larger than the requested size');
  const body = JSON.stringify({ ...base, padding: 'x'.repeat(missing) });
  if (Buffer.byteLength(body) !== totalBytes) throw new Error('padding arithmetic is wrong');
  return body;
}

function allowedMethods(res: ApiResponse): string[] {
  return (res.headers.get('allow') ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '');
}

describe('Transport (SPEC 1)', function () {
  this.timeout(60000);

  let user: string;
  before(async function () {
    user = await registerUser();
  });

  const credentials = (): Record<string, string> => ({ user_id: user, password: PASSWORD });

  describe('GET /health', function () {
    it('answers 200 {"status":"ok"} without credentials', async function () {
      const res = await request('GET', '/health');
      const body = expectOk(res, 'GET /health');
      expect(body.status, 'health reports ok').to.equal('ok');
    });
  });

  describe('standard headers on every response, success and error', function () {
    const cases: [string, () => Promise<ApiResponse>][] = [
      ['GET /health (200)', () => request('GET', '/health')],
      ['POST /check_messages (200)', () => post('/check_messages', credentials())],
      ['POST /register_user with a short password (400 validation_failed)', () => post('/register_user', { password: 'short' })],
      ['POST /register_user with invalid JSON (400 invalid_json)', () => postRaw('/register_user', '{', 'application/json')],
      ['POST /check_messages with a wrong password (401)', () => post('/check_messages', { user_id: user, password: 'wrong password!' })],
      ['POST /send_message to an unknown user (404 user_not_found)', () =>
        post('/send_message', { sender_id: user, password: PASSWORD, receiver_id: unknownUserId(), message: 'hi' })],
      ['POST to an unknown path (404 not_found)', () => post('/no_such_endpoint', {})],
      ['GET on a POST endpoint (405)', () => request('GET', '/send_message')],
      ['POST /register_user over 64 KiB (413)', () =>
        postRaw('/register_user', bodyOfSize({ password: PASSWORD }, KIB_64 + 1), 'application/json')],
      ['POST /register_user as text/plain (415)', () =>
        postRaw('/register_user', JSON.stringify({ password: PASSWORD }), 'text/plain')],
    ];
    for (const [name, send] of cases) {
      it(`are present on ${name}`, async function () {
        expectStandardHeaders(await send(), name);
      });
    }

    it('gives each response its own X-Request-Id', async function () {
      const [a, b] = await Promise.all([request('GET', '/health'), request('GET', '/health')]);
      expect(a.headers.get('x-request-id'), 'two requests get two different request ids').to.not.equal(
        b.headers.get('x-request-id'),
      );
    });
  });

  describe('unknown paths', function () {
    for (const [method, path] of [
      ['POST', '/no_such_endpoint'],
      ['GET', '/no_such_endpoint'],
      ['POST', '/send_message/extra'],
    ] as const) {
      it(`answers 404 not_found to ${method} ${path}`, async function () {
        const res = method === 'POST' ? await post(path, {}) : await request(method, path);
        expectError(res, 404, 'not_found', `${method} ${path}`);
      });
    }

    // The local server has a page at / (SPEC 8: the browser client), a deployment has nothing there.
    it('answers POST / with 404 not_found where / is no page, and 405 (Allow: GET, HEAD) where it is one', async function () {
      const page = await request('GET', '/');
      const res = await post('/', {});

      if (page.status === 200) {
        expectError(res, 405, 'method_not_allowed', 'POST / where GET / is a page');
        expect(allowedMethods(res)).to.deep.equal(['GET', 'HEAD']);
      } else {
        expectError(res, 404, 'not_found', 'POST / where there is no page');
      }
    });
  });

  describe('wrong methods', function () {
    for (const [method, path, allowed] of [
      ['GET', '/send_message', 'POST'],
      ['GET', '/register_user', 'POST'],
      ['PUT', '/check_messages', 'POST'],
      ['DELETE', '/create_group', 'POST'],
      ['POST', '/health', 'GET'],
    ] as const) {
      it(`answers 405 method_not_allowed to ${method} ${path} with Allow: ${allowed}`, async function () {
        const res = await request(method, path, method === 'PUT' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {});
        expectError(res, 405, 'method_not_allowed', `${method} ${path}`);
        expect(allowedMethods(res), `405 on ${path} names ${allowed} in the Allow header`).to.include(allowed);
        expect(allowedMethods(res), `405 on ${path} does not allow the method it just refused`).to.not.include(method);
      });
    }
  });

  describe('content type', function () {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      it(`answers 415 unsupported_media_type to a JSON body sent as ${contentType}`, async function () {
        const res = await postRaw('/register_user', JSON.stringify({ password: PASSWORD }), contentType);
        expectError(res, 415, 'unsupported_media_type', `Content-Type ${contentType}`);
      });
    }

    it('treats a request without Content-Type as JSON', async function () {
      const res = await postRaw('/check_messages', JSON.stringify(credentials()), null);
      const body = expectOk(res, 'check_messages without Content-Type');
      expect(body.messages, 'a body without Content-Type is parsed as JSON').to.be.an('array');
    });

    for (const contentType of ['application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
      it(`accepts ${contentType}`, async function () {
        const res = await postRaw('/check_messages', JSON.stringify(credentials()), contentType);
        const body = expectOk(res, `check_messages as ${contentType}`);
        expect(body.messages, 'application/json with a charset parameter is JSON').to.be.an('array');
      });
    }
  });

  describe('body size', function () {
    it('answers 413 payload_too_large to a body one byte over 64 KiB', async function () {
      const res = await postRaw('/register_user', bodyOfSize({ password: PASSWORD }, KIB_64 + 1), 'application/json');
      expectError(res, 413, 'payload_too_large', 'body of 64 KiB + 1 byte');
    });

    it('accepts a body of exactly 64 KiB', async function () {
      const res = await postRaw('/check_messages', bodyOfSize(credentials(), KIB_64), 'application/json');
      expectOk(res, 'body of exactly 64 KiB is not over the limit');
    });

    it('counts the limit in bytes, not characters', async function () {
      // 40 000 two-byte characters: fewer than 64 Ki characters, but about 80 000 bytes.
      const body = JSON.stringify({ ...credentials(), padding: 'é'.repeat(40_000) });
      const res = await postRaw('/check_messages', body, 'application/json');
      expectError(res, 413, 'payload_too_large', 'multi-byte body over 64 KiB in bytes');
    });
  });

  describe('JSON parsing', function () {
    it("answers 400 invalid_json to the seed's check_messages example with its trailing comma", async function () {
      const body = `{\n  "user_id": "${user}",\n  "password": "${PASSWORD}",\n}`;
      const res = await postRaw('/check_messages', body, 'application/json');
      expectError(res, 400, 'invalid_json', 'trailing comma');
    });

    for (const path of POST_ENDPOINTS) {
      it(`answers 400 invalid_json to malformed JSON on ${path}`, async function () {
        for (const text of ['{"user_id": "x", ', 'not json', "{'password': 'single quotes'}", '{"a":1}}']) {
          expectError(await postRaw(path, text, 'application/json'), 400, 'invalid_json', `${path} body ${text}`);
        }
      });

      it(`answers 400 invalid_json to JSON that is not an object on ${path}`, async function () {
        for (const text of ['[]', 'null', '"x"', '3', 'true', `[{"password": "${PASSWORD}"}]`]) {
          expectError(await postRaw(path, text, 'application/json'), 400, 'invalid_json', `${path} body ${text}`);
        }
      });
    }

    it('answers 400 invalid_json to an empty body (it is not valid JSON)', async function () {
      expectError(await postRaw('/check_messages', '', 'application/json'), 400, 'invalid_json', 'empty body');
    });
  });

  describe('unknown fields', function () {
    it('are ignored by register_user, which still picks the id itself', async function () {
      const res = await post('/register_user', {
        password: PASSWORD,
        user_id: 'user-ichoosemyid',
        role: 'admin',
        nested: { a: [1, 2] },
      });
      const body = expectOk(res, 'register_user with extra fields');
      expect(body.user_id, 'the new id has the user- format').to.match(USER_ID);
      expect(body.user_id, 'a client cannot choose its own user id').to.not.equal('user-ichoosemyid');
    });

    it('are ignored by check_messages', async function () {
      const res = await post('/check_messages', { ...credentials(), sender_id: 'x', extra: null, flags: [true] });
      expect(expectOk(res, 'check_messages with extra fields').messages, 'still answers the inbox').to.be.an('array');
    });
  });
});
