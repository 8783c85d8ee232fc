import { expect } from 'chai';
import { localServerSettings } from '../../src/adapters/http/localServerSettings.js';

describe('the local server’s settings (npm start)', () => {
  it('default to port 3000 on loopback, and SPEC’s 50 push connections per address', () => {
    expect(localServerSettings({})).to.deep.equal({ port: 3000, host: '127.0.0.1', pushConnectionsPerAddress: 50 });
  });

  it('take PORT, HOST and PUSH_CONNECTIONS_PER_ADDRESS from the environment', () => {
    const settings = localServerSettings({ PORT: '0', HOST: '0.0.0.0', PUSH_CONNECTIONS_PER_ADDRESS: '2048' });

    expect(settings).to.deep.equal({ port: 0, host: '0.0.0.0', pushConnectionsPerAddress: 2048 });
  });

  for (const [name, value, message] of [
    ['PORT', '70000', 'PORT must be a number from 0 to 65535, got "70000"'],
    ['PORT', '-1', 'PORT must be a number from 0 to 65535, got "-1"'],
    ['PUSH_CONNECTIONS_PER_ADDRESS', '0', 'PUSH_CONNECTIONS_PER_ADDRESS must be a number from 1 to 2048, got "0"'],
    ['PUSH_CONNECTIONS_PER_ADDRESS', '5000', 'PUSH_CONNECTIONS_PER_ADDRESS must be a number from 1 to 2048, got "5000"'],
    ['PUSH_CONNECTIONS_PER_ADDRESS', 'many', 'PUSH_CONNECTIONS_PER_ADDRESS must be a number from 1 to 2048, got "many"'],
  ] as const) {
    it(`refuse ${name}=${value} with a message naming it`, () => {
      expect(() => localServerSettings({ [name]: value })).to.throw(message);
    });
  }
});
