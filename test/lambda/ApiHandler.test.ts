import { expect } from 'chai';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { RequestLog } from '../../src/adapters/lambda/RequestLog.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { v2Event } from './events.js';

const PASSWORD = 'a logged password';

function apiWithLog(options: { brokenMessages?: boolean } = {}) {
  const lines: string[] = [];
  const container = buildContainer(loadConfig({ SCRYPT_COST: 'test' }));
  container.unbind(TYPES.RequestLog);
  container.bind(TYPES.RequestLog).toConstantValue(new RequestLog('info', (line) => lines.push(line)));
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
  return { api, lines };
}

describe('ApiHandler', () => {
  it('logs one JSON line per request with its request id, route and status', async () => {
    const { api, lines } = apiWithLog();
    const event = v2Event({ method: 'GET', path: '/health' });

    await api.router(event);

    expect(lines).to.have.length(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).to.include({ requestId: event.requestContext.requestId, route: 'health', status: 200, level: 'info' });
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
