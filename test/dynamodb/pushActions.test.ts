// The push handlers on DynamoDB Local, through the real handlers: the IAM actions their role needs
// (PUSH_DYNAMODB_ACTIONS, which Terraform grants the push functions and nothing more).
import { marshall } from '@aws-sdk/util-dynamodb';
import { expect } from 'chai';
import { inboxItem } from '../../src/adapters/dynamodb/inboxItems.js';
import { PUSH_DYNAMODB_ACTIONS } from '../../src/adapters/dynamodb/permissions.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import type { WebSocketEvent } from '../../src/adapters/lambda/WebSocketHandler.js';
import { Limits } from '../../src/core/Limits.js';
import { CallRecorder } from '../support/CallRecorder.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { v2Event } from '../lambda/events.js';

const PASSWORD = 'push actions password';

function webSocketEvent(routeKey: string, connectionId: string, extra: Partial<WebSocketEvent> = {}): WebSocketEvent {
  return { requestContext: { routeKey, connectionId, requestId: `r-${connectionId}` }, ...extra };
}

describe('Push handlers on DynamoDB: the IAM actions they need', function () {
  this.timeout(60_000);

  it('call exactly PUSH_DYNAMODB_ACTIONS: connect past the limit, a push that finds gone connections, a ping, a disconnect', async () => {
    const { settings } = await freshTable();
    const container = buildContainer(
      loadConfig({ SCRYPT_COST: 'test', TOKEN_SECRET: 'push-actions-secret-of-32-bytes-at-least', LOG_LEVEL: 'silent' }),
      dynamoDbStorage(settings),
    );
    const api = resolve(container, TYPES.ApiHandler);
    const ws = resolve(container, TYPES.WebSocketHandler);
    const stream = resolve(container, TYPES.StreamPushHandler);
    const sockets = resolve(container, TYPES.LocalConnections);
    const post = async (path: string, body: object) => JSON.parse((await api.router(v2Event({ path, body }))).body);
    const { user_id: userId } = await post('/register_user', { password: PASSWORD });
    const { token } = await post('/login', { user_id: userId, password: PASSWORD });
    const recorder = new CallRecorder(resolve(container, TYPES.DynamoDbTable));
    const ids = Array.from({ length: Limits.connectionsPerUser + 1 }, (_, i) => `c-${i}`);
    // Only the five newest are still open, so the push finds the others gone and forgets them.
    const frames: string[] = [];
    for (const id of ids.slice(-5)) {
      sockets.register(id, { send: (frame) => (frames.push(frame), true), close: () => undefined });
    }

    const connected = [];
    for (const id of ids) {
      connected.push((await ws.connect(webSocketEvent('$connect', id, { queryStringParameters: { token } }))).statusCode);
    }
    const newImage = marshall(inboxItem(userId, { id: 'msg-1', senderId: 'user-other', text: 'hello', sentAt: Date.now() }));
    const pushed = await stream.handle({ Records: [{ eventName: 'INSERT', dynamodb: { NewImage: newImage } }] });
    const ponged = await ws.message(webSocketEvent('$default', ids.at(-1)!, { body: '{"type":"ping"}' }));
    const disconnected = await ws.disconnect(webSocketEvent('$disconnect', ids.at(-1)!));

    expect(connected, 'every $connect accepted (the eleventh closes the oldest)').to.deep.equal(ids.map(() => 200));
    expect(pushed, 'no record to retry').to.deep.equal({ batchItemFailures: [] });
    expect(frames.filter((f) => f.includes('hello')), 'pushed to the five open connections').to.have.length(5);
    expect([ponged.statusCode, disconnected.statusCode]).to.deep.equal([200, 200]);
    expect(frames.some((f) => f.includes('hello')), 'the message reached a socket').to.equal(true);
    expect([...recorder.actions].sort()).to.deep.equal([...PUSH_DYNAMODB_ACTIONS].sort());
  });
});
