// The two-region harness's /@connections on the local server: only the holder of the key closes a
// socket, and nothing a client puts in the path stops the server.
import { expect } from 'chai';
import { MANAGEMENT_KEY_HEADER } from '../../src/adapters/push/LocalRemoteCloser.js';
import { localServerUnderTest } from './localServerUnderTest.js';

const KEY = 'the-key-both-servers-derive';

describe('LocalManagementApi: DELETE /@connections/<id>', () => {
  const closed: string[] = [];
  const under = localServerUnderTest({
    management: {
      key: KEY,
      close: async (connectionId) => {
        closed.push(connectionId);
      },
    },
  });
  beforeEach(() => {
    closed.length = 0;
  });

  const remove = (path: string, key?: string) =>
    fetch(under.server.url + path, { method: 'DELETE', headers: key ? { [MANAGEMENT_KEY_HEADER]: key } : {} });

  it('closes the connection named, URL-decoded, for the holder of the key', async () => {
    const res = await remove('/@connections/abc%3D', KEY);

    expect(res.status).to.equal(204);
    expect(closed).to.deep.equal(['abc=']);
  });

  it('refuses a request without the key, and one with a malformed escape in the id, and goes on serving', async () => {
    expect((await remove('/@connections/%zz')).status, 'no key').to.equal(403);
    expect((await remove('/@connections/%zz', KEY)).status, 'an id that is no URL-encoded text').to.equal(400);

    const health = await fetch(`${under.server.url}/health`);
    expect(health.status, 'the server is still up').to.equal(200);
    expect(closed).to.deep.equal([]);
  });
});
