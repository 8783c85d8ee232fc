import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type RunningLocalServer } from '../../src/adapters/http/LocalServer.js';
import { loadStaticSite } from '../../src/adapters/http/StaticSite.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

describe('the static site of the local server', () => {
  let server: RunningLocalServer;
  const apiCalls: string[] = [];
  before(async () => {
    server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handler: async (event) => {
        apiCalls.push(`${event.requestContext.http.method} ${event.rawPath}`);
        return { statusCode: 404, headers: { 'Content-Type': 'application/json' }, body: '{"error":"not_found"}' };
      },
      transportError: () => ({ statusCode: 500, headers: {}, body: '{}' }),
      site: loadStaticSite(WEB),
    });
  });
  after(() => server.close());

  it('serves the client and the API reference with their types, nosniff and a same-origin content security policy', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/docs', 'text/html'],
      ['/docs/swagger-ui-bundle.js', 'text/javascript'],
    ]) {
      const res = await fetch(server.url + path!);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.match(new RegExp(`^${type}`));
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('content-security-policy')).to.contain("default-src 'self'");
      await res.arrayBuffer();
    }
  });

  it('answers HEAD without a body, and leaves every other path and method to the API', async () => {
    const head = await fetch(server.url + '/', { method: 'HEAD' });
    apiCalls.length = 0;
    const others = [
      await fetch(server.url + '/web/index.html'),
      await fetch(server.url + '/../package.json'),
      await fetch(server.url + '/', { method: 'POST', body: '{}' }),
    ];

    expect([head.status, (await head.text()).length]).to.deep.equal([200, 0]);
    expect(others.map((r) => r.status)).to.deep.equal([404, 404, 404]);
    expect(apiCalls).to.deep.equal(['GET /web/index.html', 'GET /package.json', 'POST /']);
  });
});
