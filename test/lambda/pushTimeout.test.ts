// A Management API call that never answers, through a real socket: a server that accepts and
// says nothing. nock can only show what the code does once the SDK throws; this shows that it
// throws at all (STYLE: a timeout is proven through a real socket).
import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { RequestLog } from '../../src/adapters/lambda/RequestLog.js';
import { StreamPushHandler } from '../../src/adapters/lambda/StreamPushHandler.js';
import { NO_METRICS } from '../../src/adapters/lambda/ServiceMetrics.js';
import { InMemoryConnectionRepository } from '../../src/adapters/memory/InMemoryConnectionRepository.js';
import { inboxItem } from '../../src/adapters/dynamodb/inboxItems.js';
import { ApiGatewayConnectionGateway } from '../../src/adapters/push/ApiGatewayConnectionGateway.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { PushMessage } from '../../src/core/use-cases/PushMessage.js';
import { marshall } from '@aws-sdk/util-dynamodb';

describe('the API Gateway connection gateway against a Management API that never answers', function () {
  this.timeout(10_000);
  const LIMITS = { attempts: 2, connectMs: 1_000, requestMs: 300 };
  let silent: net.Server;
  let requests = 0;
  const sockets: net.Socket[] = [];
  let callbackUrl: string;
  const saved = { ...process.env };
  let nockWasActive = false;

  before(async () => {
    // A real socket: nock must not stand in front of it.
    nockWasActive = nock.isActive();
    if (nockWasActive) nock.restore();
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    silent = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      // Reads the request, answers nothing, ever.
      socket.once('data', () => requests++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/push`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    if (nockWasActive) nock.activate();
  });
  beforeEach(() => {
    requests = 0;
  });

  it('gives up on a post after its request time, each attempt, and fails rather than waiting for the socket', async () => {
    const gateway = new ApiGatewayConnectionGateway(callbackUrl, 'us-east-1', LIMITS);
    const message = { id: 'msg-1', senderId: 'user-a', text: 'hello', sentAt: Date.now() };

    const failure = await gateway.push('c-1', message).then(
      () => undefined,
      (error: Error) => error,
    );

    expect(failure?.name).to.equal('TimeoutError');
    expect(requests, 'one request per attempt').to.equal(LIMITS.attempts);
  });

  it('lets the stream consumer finish its batch, the push counted as failed', async () => {
    const connections = new InMemoryConnectionRepository();
    const sentAt = Date.now();
    await connections.add({ id: 'c-1', userId: 'user-b', connectedAt: sentAt - 1000, expiresAt: sentAt + 60_000 }, 10);
    const handler = new StreamPushHandler(
      new PushMessage(connections, new ApiGatewayConnectionGateway(callbackUrl, 'us-east-1', LIMITS), new SystemClock()),
      new RequestLog('silent'),
      NO_METRICS,
    );
    const newImage = marshall(inboxItem('user-b', { id: 'msg-1', senderId: 'user-a', text: 'hello', sentAt }));

    const outcome = await handler.handle({ Records: [{ eventName: 'INSERT', dynamodb: { NewImage: newImage, SequenceNumber: '101' } }] });

    expect(outcome, 'the record is reported for a retry').to.deep.equal({ batchItemFailures: [{ itemIdentifier: '101' }] });
  });
});
