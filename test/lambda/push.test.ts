// The push handlers with the events API Gateway and DynamoDB Streams send them (test/fixtures):
// $connect, $default and $disconnect of the WebSocket API, and the stream consumer, whose pushes
// go to API Gateway's Management API (nock).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { RequestLog } from '../../src/adapters/lambda/RequestLog.js';
import { MeteredConnectionGateway } from '../../src/adapters/lambda/MeteredConnectionGateway.js';
import { StreamPushHandler, type StreamEvent } from '../../src/adapters/lambda/StreamPushHandler.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import type { WebSocketEvent } from '../../src/adapters/lambda/WebSocketHandler.js';
import { InMemoryConnectionRepository } from '../../src/adapters/memory/InMemoryConnectionRepository.js';
import { ApiGatewayConnectionGateway } from '../../src/adapters/push/ApiGatewayConnectionGateway.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { PushMessage } from '../../src/core/use-cases/PushMessage.js';
import { v2Event } from './events.js';
import { marshall } from '@aws-sdk/util-dynamodb';
import { inboxItem } from '../../src/adapters/dynamodb/inboxItems.js';
import { RecordedMetrics } from '../support/RecordedMetrics.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixture = <T>(name: string): T => JSON.parse(readFileSync(fixtures + name, 'utf8')) as T;
const PASSWORD = 'push password';
/** When the message of dynamodb/stream-inbox-insert.json was sent. */
const FIXTURE_SENT_AT = 1796067312345;

function websocketEvent(name: 'connect' | 'message' | 'disconnect', connectionId: string, extra: object = {}): WebSocketEvent {
  const event = fixture<WebSocketEvent & { requestContext: object }>(`apigateway/websocket-${name}.json`);
  return { ...event, requestContext: { ...event.requestContext, connectionId }, ...extra };
}

/** The whole app off Lambda (pushes go to the process's own sockets), with fake sockets. */
function app() {
  const container = buildContainer(
    loadConfig({ SCRYPT_COST: 'test', TOKEN_SECRET: 'push-tests-secret-of-32-bytes-at-least!', LOG_LEVEL: 'silent' }),
  );
  const api = resolve(container, TYPES.ApiHandler);
  const ws = resolve(container, TYPES.WebSocketHandler);
  const sockets = resolve(container, TYPES.LocalConnections);
  const frames = new Map<string, string[]>();
  const closed: string[] = [];
  const socket = (connectionId: string) => {
    frames.set(connectionId, []);
    sockets.register(connectionId, {
      send: (frame) => (frames.get(connectionId)!.push(frame), true),
      close: () => closed.push(connectionId),
    });
  };
  const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
    const result = await api.router(v2Event({ path, body, headers }));
    return JSON.parse(result.body);
  };
  const user = async () => {
    const { user_id: id } = await post('/register_user', { password: PASSWORD });
    const { token } = await post('/login', { user_id: id, password: PASSWORD });
    return { id: id as string, token: token as string };
  };
  /** Lets the notifier's background pushes run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { ws, post, user, socket, frames, closed, settle, connections: resolve(container, TYPES.ConnectionRepository) };
}

describe('push handlers', () => {
  describe('$connect', () => {
    it('opens a connection for the token’s user, whatever else the query names, and pushes what their inbox gets', async () => {
      const { ws, post, user, socket, frames, settle } = app();
      const [alice, bob] = [await user(), await user()];
      socket('c-bob');

      const result = await ws.connect(
        websocketEvent('connect', 'c-bob', { queryStringParameters: { token: bob.token, user_id: alice.id } }),
      );
      await post('/send_message', { receiver_id: bob.id, message: 'pushed!' }, { authorization: `Bearer ${alice.token}` });
      await settle();

      expect(result.statusCode).to.equal(200);
      const [frame] = frames.get('c-bob')!.map((f) => JSON.parse(f));
      expect(frame).to.include({ type: 'message', sender_id: alice.id, message: 'pushed!' });
      expect(frame.message_id).to.match(/^msg-/);
      expect(frame.timestamp).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    });

    for (const [label, query] of [
      ['no token', {}],
      ['a forged token', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLXgifQ.c2lnbmF0dXJl' }],
      ['garbage', { token: 'not a token' }],
    ] as const) {
      it(`refuses ${label} with 401, and records no connection`, async () => {
        const { ws, user, connections } = app();
        const victim = await user();

        const result = await ws.connect(websocketEvent('connect', 'c-x', { queryStringParameters: { ...query, user_id: victim.id } }));

        expect(result.statusCode).to.equal(401);
        expect(await connections.forUser(victim.id)).to.be.empty;
      });
    }

    it('closes the oldest when a user opens an eleventh connection', async () => {
      const { ws, user, socket, closed, connections } = app();
      const alice = await user();
      for (let i = 0; i < 11; i++) {
        socket(`c-${i}`);
        await ws.connect(websocketEvent('connect', `c-${i}`, { queryStringParameters: { token: alice.token } }));
        await new Promise((resolve) => setTimeout(resolve, 2)); // distinct connection times
      }

      expect(closed).to.deep.equal(['c-0']);
      expect((await connections.forUser(alice.id)).map((c) => c.id)).to.have.length(10).and.not.include('c-0');
    });
  });

  describe('$default', () => {
    it('answers a ping with a pong and ignores every other frame', async () => {
      const { ws, user, socket, frames } = app();
      const alice = await user();
      socket('c-1');
      await ws.connect(websocketEvent('connect', 'c-1', { queryStringParameters: { token: alice.token } }));

      const answers = [];
      for (const body of ['{"type":"ping"}', '{"type":"send","message":"hi"}', 'not json', '{"type":"ping","pad":"' + 'x'.repeat(300) + '"}', null]) {
        answers.push((await ws.message(websocketEvent('message', 'c-1', { body }))).statusCode);
      }

      expect(answers).to.deep.equal([200, 200, 200, 200, 200]);
      expect(frames.get('c-1')).to.deep.equal(['{"type":"pong"}']);
    });
  });

  describe('$disconnect', () => {
    it('forgets the connection: nothing more is pushed to it', async () => {
      const { ws, post, user, socket, frames, settle, connections } = app();
      const [alice, bob] = [await user(), await user()];
      socket('c-bob');
      await ws.connect(websocketEvent('connect', 'c-bob', { queryStringParameters: { token: bob.token } }));

      expect((await ws.disconnect(websocketEvent('disconnect', 'c-bob'))).statusCode).to.equal(200);
      await post('/send_message', { receiver_id: bob.id, message: 'after' }, { authorization: `Bearer ${alice.token}` });
      await settle();

      expect(await connections.forUser(bob.id)).to.be.empty;
      expect(frames.get('c-bob')).to.be.empty;
    });
  });

  describe('the stream consumer', () => {
    // Over plain HTTP: nock 14 intercepts the SDK's HTTP requests here but not its HTTPS ones, and
    // nothing in the gateway depends on the scheme.
    const HOST = 'http://abcdef1234.execute-api.us-east-1.amazonaws.test';
    const CALLBACK = `${HOST}/production`;
    const saved = { ...process.env };
    before(() => {
      if (!nock.isActive()) nock.activate();
      process.env.AWS_ACCESS_KEY_ID = 'test';
      process.env.AWS_SECRET_ACCESS_KEY = 'test';
    });
    after(() => {
      nock.restore(); // nock intercepts every HTTP client in the process while active
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });
    afterEach(() => nock.cleanAll());

    it('pushes each new inbox item to its owner’s connections and forgets those API Gateway says are gone', async () => {
      const connections = new InMemoryConnectionRepository();
      // Opened before the fixture's message was sent, and still open now.
      const [connectedAt, expiresAt] = [FIXTURE_SENT_AT - 60_000, Date.now() + 60_000];
      for (const id of ['open-1', 'gone-2']) {
        await connections.add({ id, userId: 'user-RECIPIENT', connectedAt, expiresAt }, 10);
      }
      await connections.add({ id: 'other-3', userId: 'user-SOMEONE-ELSE', connectedAt, expiresAt }, 10);
      const bodies: unknown[] = [];
      const api = nock(HOST);
      const connectionPath = (id: string) => (path: string) => decodeURIComponent(path) === `/production/@connections/${id}`;
      api.post(connectionPath('open-1'), (body) => (bodies.push(body), true)).reply(200);
      api
        .post(connectionPath('gone-2'))
        .reply(410, { message: 'Gone' }, { 'x-amzn-errortype': 'GoneException', 'content-type': 'application/json' });
      const metrics = new RecordedMetrics();
      const gateway = new MeteredConnectionGateway(new ApiGatewayConnectionGateway(CALLBACK, 'us-east-1'), metrics);
      const handler = new StreamPushHandler(new PushMessage(connections, gateway, new SystemClock()), new RequestLog('silent'), metrics);

      const outcome = await handler.handle(fixture<StreamEvent>('dynamodb/stream-inbox-insert.json'));

      expect(outcome, 'no record to retry').to.deep.equal({ batchItemFailures: [] });
      expect(metrics.published, 'one push sent, one connection gone, published once for the batch').to.deep.equal([{ PushesSent: 1, PushesGone: 1 }]);
      expect(api.isDone(), 'both connections were tried, and nobody else’s').to.equal(true);
      expect(bodies).to.deep.equal([
        {
          type: 'message',
          message_id: 'msg-01M8QAAAAAAAAAAAAAAAAAAAAA',
          timestamp: '2026-11-30 19:35:12',
          sender_id: 'user-SENDER',
          message: 'Picnic on Saturday?',
          group_id: 'group-WEEKEND',
        },
      ]);
      expect((await connections.forUser('user-RECIPIENT')).map((c) => c.id), 'the gone one is forgotten').to.deep.equal([
        'open-1',
      ]);
    });

    it('reports only the records whose push failed (ReportBatchItemFailures), after pushing the others', async () => {
      const connections = new InMemoryConnectionRepository();
      const now = Date.now();
      for (const [id, user] of [['alice-1', 'user-ALICE'], ['bob-1', 'user-BOB'], ['carol-1', 'user-CAROL']]) {
        // Opened before the fixture's message was sent: a newer connection would not be pushed it.
        await connections.add({ id: id!, userId: user!, connectedAt: FIXTURE_SENT_AT - 1000, expiresAt: now + 60_000 }, 10);
      }
      const [insert] = fixture<StreamEvent>('dynamodb/stream-inbox-insert.json').Records;
      const recordFor = (user: string, sequence: string) => ({
        ...insert!,
        dynamodb: { ...insert!.dynamodb, SequenceNumber: sequence, NewImage: { ...insert!.dynamodb!.NewImage, PK: { S: `INBOX#${user}` } } },
      });
      const api = nock(HOST);
      const connectionPath = (id: string) => (path: string) => decodeURIComponent(path) === `/production/@connections/${id}`;
      api.post(connectionPath('alice-1')).reply(200);
      api.post(connectionPath('bob-1')).times(4).reply(500, { message: 'Internal' }, { 'x-amzn-errortype': 'InternalServerError' });
      api.post(connectionPath('carol-1')).reply(200);
      const metrics = new RecordedMetrics();
      const gateway = new MeteredConnectionGateway(new ApiGatewayConnectionGateway(CALLBACK, 'us-east-1'), metrics);
      const handler = new StreamPushHandler(new PushMessage(connections, gateway, new SystemClock()), new RequestLog('silent'), metrics);

      const outcome = await handler.handle({ Records: [recordFor('user-ALICE', '301'), recordFor('user-BOB', '302'), recordFor('user-CAROL', '303')] });

      expect(outcome, "only Bob's record is retried").to.deep.equal({ batchItemFailures: [{ itemIdentifier: '302' }] });
      expect(metrics.published).to.deep.equal([{ PushesSent: 2 }]);
    });

    /** A stream event of new inbox items for `owner`, in the order given. */
    const insertsFor = (owner: string, messages: { id: string; sentAt: number }[]): StreamEvent => ({
      Records: messages.map((m, i) => ({
        eventID: `e-${i}`,
        eventName: 'INSERT',
        dynamodb: { NewImage: marshall(inboxItem(owner, { id: m.id, senderId: 'user-SENDER', text: `text ${m.id}`, sentAt: m.sentAt })) },
      })),
    });
    const handlerOver = (connections: InMemoryConnectionRepository) =>
      new StreamPushHandler(
        new PushMessage(connections, new ApiGatewayConnectionGateway(CALLBACK, 'us-east-1'), new SystemClock()),
        new RequestLog('silent'),
        new RecordedMetrics(),
      );
    const atConnection = (id: string) => (path: string) => decodeURIComponent(path) === `/production/@connections/${id}`;

    it('skips a connection opened after the message was sent: after a backlog or a retried batch, its client’s cursor has it', async () => {
      const connections = new InMemoryConnectionRepository();
      const now = Date.now();
      await connections.add({ id: 'older', userId: 'user-RECIPIENT', connectedAt: FIXTURE_SENT_AT - 1, expiresAt: now + 60_000 }, 10);
      await connections.add({ id: 'newer', userId: 'user-RECIPIENT', connectedAt: FIXTURE_SENT_AT + 1, expiresAt: now + 60_000 }, 10);
      const api = nock(HOST).post(atConnection('older')).reply(200);

      const outcome = await handlerOver(connections).handle(fixture<StreamEvent>('dynamodb/stream-inbox-insert.json'));

      expect(outcome).to.deep.equal({ batchItemFailures: [] });
      expect(api.isDone()).to.equal(true);
    });

    it('posts one user’s messages of a batch to each connection in inbox order, one after another', async () => {
      const connections = new InMemoryConnectionRepository();
      const now = Date.now();
      await connections.add({ id: 'c-1', userId: 'user-RECIPIENT', connectedAt: now - 60_000, expiresAt: now + 60_000 }, 10);
      const messages = Array.from({ length: 20 }, (_, i) => ({ id: `msg-${String(i).padStart(2, '0')}`, sentAt: now - 30_000 + i }));
      // The stream holds them in the order they were written, which is not the order they were stamped.
      const written = [...messages].reverse();
      const arrived: string[] = [];
      nock(HOST)
        .post(atConnection('c-1'), (body: { message_id: string }) => (arrived.push(body.message_id), true))
        .times(messages.length)
        .delay(5)
        .reply(200);

      const outcome = await handlerOver(connections).handle(insertsFor('user-RECIPIENT', written));

      expect(outcome).to.deep.equal({ batchItemFailures: [] });
      expect(arrived).to.deep.equal(messages.map((m) => m.id));
    });

    it('posts nothing to a connection whose token has expired, and closes it', async () => {
      const connections = new InMemoryConnectionRepository();
      const now = Date.now();
      await connections.add({ id: 'expired', userId: 'user-RECIPIENT', connectedAt: FIXTURE_SENT_AT - 60_000, expiresAt: now - 1 }, 10);
      const api = nock(HOST).delete(atConnection('expired')).reply(204);

      const outcome = await handlerOver(connections).handle(fixture<StreamEvent>('dynamodb/stream-inbox-insert.json'));

      expect(outcome).to.deep.equal({ batchItemFailures: [] });
      expect(api.isDone(), 'closed through the Management API').to.equal(true);
      expect(await connections.forUser('user-RECIPIENT')).to.deep.equal([]);
    });
  });
});
