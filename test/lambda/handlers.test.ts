import { expect } from 'chai';
import * as handlers from '../../src/adapters/lambda/handlers.js';
import { ROUTES } from '../../src/adapters/lambda/routes.js';
import type { HttpResult } from '../../src/adapters/lambda/responses.js';
import { v1Event, v2Event } from './events.js';

const PASSWORD = 'handler password';
type Handler = (event: any) => Promise<HttpResult>;
const exported = handlers as unknown as Record<string, Handler>;

function json(result: HttpResult): any {
  return JSON.parse(result.body);
}

async function register(): Promise<string> {
  return json(await handlers.registerUser(v2Event({ path: '/register_user', body: { password: PASSWORD } }))).user_id;
}

function expectStandardHeaders(result: HttpResult): void {
  expect(result.headers['Content-Type']).to.equal('application/json');
  expect(result.headers['Cache-Control']).to.equal('no-store');
  expect(result.headers['X-Content-Type-Options']).to.equal('nosniff');
  expect(result.headers['X-Request-Id']).to.be.a('string').and.not.equal('');
}

describe('Lambda handlers', () => {
  it('export one handler per route of the route table, and the router', () => {
    for (const route of ROUTES) {
      expect(exported[route.handler], `handler ${route.handler} for ${route.path}`).to.be.a('function');
    }
    expect(handlers.router).to.be.a('function');
  });

  it('serve an HTTP API 2.0 event', async () => {
    const result = await handlers.registerUser(v2Event({ path: '/register_user', body: { password: PASSWORD } }));

    expect(result.statusCode).to.equal(200);
    expect(json(result).user_id).to.match(/^user-[a-zA-Z0-9]+$/);
    expectStandardHeaders(result);
  });

  it('serve a REST API 1.0 event with its mixed-case headers', async () => {
    const result = await handlers.registerUser(v1Event({ path: '/register_user', body: { password: PASSWORD } }));

    expect(result.statusCode).to.equal(200);
    expect(json(result).user_id).to.match(/^user-/);
  });

  it('decode a base64 body in both formats', async () => {
    const [alice, bob] = [await register(), await register()];
    const body = { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'über base64 ✓' };

    const v2 = await handlers.sendMessage(v2Event({ path: '/send_message', body, base64: true }));
    const v1 = await handlers.sendMessage(v1Event({ path: '/send_message', body, base64: true }));

    expect([v2.statusCode, v1.statusCode]).to.deep.equal([200, 200]);
    const inbox = json(await handlers.checkMessages(v2Event({ path: '/check_messages', body: { user_id: bob, password: PASSWORD } })));
    expect(inbox.messages.map((m: any) => m.message)).to.deep.equal(['über base64 ✓', 'über base64 ✓']);
  });

  it('carry the API Gateway request id in X-Request-Id', async () => {
    const event = v2Event({ method: 'GET', path: '/health' });

    const result = await handlers.health(event);

    expect(result.headers['X-Request-Id']).to.equal(event.requestContext.requestId);
  });

  it('answer 405 with Allow when a route handler gets another method', async () => {
    const result = await handlers.sendMessage(v2Event({ method: 'GET', path: '/send_message' }));

    expect(result.statusCode).to.equal(405);
    expect(result.headers.Allow).to.equal('POST');
    expect(json(result).error).to.equal('method_not_allowed');
  });

  it('route by path in the router: 404 for unknown paths, a stage prefix stripped', async () => {
    const unknown = await handlers.router(v2Event({ method: 'GET', path: '/nowhere' }));
    const staged = v2Event({ method: 'GET', path: '/prod/health' });
    staged.requestContext.stage = 'prod';

    expect([unknown.statusCode, json(unknown).error]).to.deep.equal([404, 'not_found']);
    expect((await handlers.router(staged)).statusCode).to.equal(200);
  });

  it('answer 413 to a body over 64 KiB and 415 to another content type', async () => {
    const big = await handlers.registerUser(v2Event({ path: '/register_user', body: { password: 'x'.repeat(70_000) } }));
    const text = await handlers.registerUser(
      v1Event({ path: '/register_user', body: { password: PASSWORD }, headers: { 'Content-Type': 'text/plain' } }),
    );

    expect([big.statusCode, json(big).error]).to.deep.equal([413, 'payload_too_large']);
    expect([text.statusCode, json(text).error]).to.deep.equal([415, 'unsupported_media_type']);
  });

  it('answer 400 validation_failed with details naming each bad field', async () => {
    const alice = await register();

    const result = await handlers.sendMessage(
      v2Event({ path: '/send_message', body: { sender_id: alice, password: PASSWORD, receiver_id: 7 } }),
    );

    expect(result.statusCode).to.equal(400);
    expect(json(result).error).to.equal('validation_failed');
    expect(json(result).details.map((d: any) => d.field)).to.have.members(['receiver_id', 'message']);
  });

  it('does not let "__proto__" in a body change how it is validated', async () => {
    const result = await handlers.registerUser(
      v2Event({ path: '/register_user', body: '{"__proto__": {"password": "polluted!"}}' }),
    );

    expect(result.statusCode).to.equal(400);
    expect(json(result).details.map((d: any) => d.field)).to.deep.equal(['password']);
  });
});
