import { expect } from 'chai';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { RequestLog } from '../../src/adapters/lambda/RequestLog.js';
import { DomainError } from '../../src/core/DomainError.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { RecordedMetrics } from '../support/RecordedMetrics.js';
import { v2Event } from './events.js';

const PASSWORD = 'a logged password';

const CONTEXT = {
  functionName: 'messaging-api-health',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:messaging-api-health',
  memoryLimitInMB: '1024',
  awsRequestId: 'a1b2c3',
};

function apiWithLog(options: { brokenMessages?: boolean; unavailableMessages?: boolean; env?: Record<string, string> } = {}) {
  const lines: string[] = [];
  const metrics = new RecordedMetrics();
  const container = buildContainer(loadConfig({ SCRYPT_COST: 'test', ...options.env }));
  container.unbind(TYPES.RequestLog);
  container.bind(TYPES.RequestLog).toConstantValue(new RequestLog('info', (line) => lines.push(line)));
  container.unbind(TYPES.ServiceMetrics);
  container.bind(TYPES.ServiceMetrics).toConstantValue(metrics);
  if (options.unavailableMessages) {
    const unavailable = async () => {
      throw new DomainError('unavailable', 'Storage is not answering.', undefined, 1);
    };
    const repository: MessageRepository = {
      deliverDirect: unavailable,
      deliverToGroup: unavailable,
      completeGroupDelivery: unavailable,
      findSent: async () => undefined,
      latest: async () => [],
      after: async () => [],
    };
    container.unbind(TYPES.MessageRepository);
    container.bind(TYPES.MessageRepository).toConstantValue(repository);
  }
  if (options.brokenMessages) {
    const broken: MessageRepository = {
      deliverDirect: async () => {
        throw new Error('ConditionalCheckFailedException: table messages-prod, key {"pk":"USER#x"}');
      },
      deliverToGroup: async () => {
        throw new Error('ConditionalCheckFailedException: table messages-prod, key {"pk":"USER#x"}');
      },
      completeGroupDelivery: async (_claim, message) => ({ message, recipientIds: [] }),
      findSent: async () => undefined,
      latest: async () => [],
      after: async () => [],
    };
    container.unbind(TYPES.MessageRepository);
    container.bind(TYPES.MessageRepository).toConstantValue(broken);
  }
  const api = resolve(container, TYPES.ApiHandler);
  return { api, lines, metrics };
}

describe('ApiHandler', () => {
  it('logs one JSON line per request with its request id, route and status', async () => {
    const { api, lines } = apiWithLog();
    const event = v2Event({ method: 'GET', path: '/health' });

    await api.router(event);

    expect(lines).to.have.length(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).to.include({ requestId: event.requestContext.requestId, route: 'health', status: 200, level: 'INFO', message: 'request' });
  });

  it("adds the invocation's Lambda context: request id, function and whether it is the instance's cold start", async () => {
    // Powertools counts a cold start only where Lambda says the instance started on demand.
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { api, lines } = apiWithLog();
    delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;

    await api.router(v2Event({ method: 'GET', path: '/health' }), CONTEXT);
    await api.router(v2Event({ method: 'GET', path: '/health' }), { ...CONTEXT, awsRequestId: 'd4e5f6' });

    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).to.include({ cold_start: true, function_request_id: 'a1b2c3', function_name: 'messaging-api-health', service: 'messaging-api' });
    expect(second).to.include({ cold_start: false, function_request_id: 'd4e5f6' });
  });

  it('starts under a Lambda log level set above its own (Advanced Logging Controls), writing the warning Powertools gives', () => {
    // Powertools prints that warning from inside Logger's constructor, before RequestLog's logger is built.
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    const lines: string[] = [];
    try {
      const log = new RequestLog('info', (line) => lines.push(line));
      log.warn('started');
    } finally {
      delete process.env.AWS_LAMBDA_LOG_LEVEL;
    }

    const [alc, started] = lines.map((line) => JSON.parse(line));
    expect(alc, 'the construction-time warning, through the same writer').to.include({ level: 'WARN' });
    expect(alc.message).to.contain('Advanced Logging Controls');
    expect(started).to.include({ level: 'WARN', message: 'started' });
  });

  it('counts lockouts, per-address refusals and storage 503s, and delivered messages, publishing once per request', async () => {
    const { api, metrics } = apiWithLog({ env: { REGISTER_PER_MINUTE: '2' } });
    const register = () => api.router(v2Event({ path: '/register_user', body: { password: PASSWORD } }));
    const [alice, bob] = [JSON.parse((await register()).body).user_id, JSON.parse((await register()).body).user_id];
    await register(); // the third from this address in a minute: 429 rate_limited
    for (let i = 0; i < 11; i++) await api.router(v2Event({ path: '/check_messages', body: { user_id: alice, password: 'not it at all' } }));
    await api.router(v2Event({ path: '/send_message', body: { sender_id: bob, password: PASSWORD, receiver_id: alice, message: 'hi' } }));

    const published = metrics.published;
    expect(published[2], 'the refused registration').to.deep.equal({ RateLimited: 1 });
    expect(published.slice(3, 13), 'ten wrong passwords').to.deep.equal(Array(10).fill({}));
    expect(published[13], 'the eleventh attempt').to.deep.equal({ Lockouts: 1 });
    expect(published[14], 'the send').to.deep.equal({ MessagesDelivered: 1 });

    const down = apiWithLog({ unavailableMessages: true });
    const [carol, dave] = [
      JSON.parse((await down.api.router(v2Event({ path: '/register_user', body: { password: PASSWORD } }))).body).user_id,
      JSON.parse((await down.api.router(v2Event({ path: '/register_user', body: { password: PASSWORD } }))).body).user_id,
    ];
    const refused = await down.api.router(v2Event({ path: '/send_message', body: { sender_id: carol, password: PASSWORD, receiver_id: dave, message: 'hi' } }));
    expect(refused.statusCode).to.equal(503);
    expect(down.metrics.published.at(-1)).to.deep.equal({ StorageUnavailable: 1 });
  });

  it('never logs a password or a hash', async () => {
    const { api, lines } = apiWithLog();
    const registered = await api.router(v2Event({ path: '/register_user', body: { password: PASSWORD } }));
    const userId = JSON.parse(registered.body).user_id;

    await api.router(v2Event({ path: '/check_messages', body: { user_id: userId, password: PASSWORD } }));
    await api.router(v2Event({ path: '/check_messages', body: { user_id: userId, password: 'wrong password' } }));

    const all = lines.join('\n');
    expect(lines).to.have.length(3);
    expect(all).to.not.contain(PASSWORD).and.not.contain('wrong password').and.not.contain('$scrypt$');
    expect(JSON.parse(lines[2]!)).to.include({ status: 401, error: 'unauthorized' });
  });

  it('answers an unexpected failure with 500 and a request id, and leaks none of its text', async () => {
    const { api, lines } = apiWithLog({ brokenMessages: true });
    const register = async () =>
      JSON.parse((await api.router(v2Event({ path: '/register_user', body: { password: PASSWORD } }))).body).user_id;
    const [alice, bob] = [await register(), await register()];
    const event = v2Event({ path: '/send_message', body: { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' } });

    const result = await api.router(event);

    const body = JSON.parse(result.body);
    expect(result.statusCode).to.equal(500);
    expect(body).to.include({ error: 'internal_error', request_id: event.requestContext.requestId });
    expect(result.body).to.not.contain('ConditionalCheckFailed').and.not.contain('USER#');
    const logged = lines.at(-1)!;
    expect(JSON.parse(logged)).to.include({ status: 500, error: 'internal_error', cause: 'Error' });
    expect(logged).to.not.contain('ConditionalCheckFailed').and.not.contain('at ');
  });
});
