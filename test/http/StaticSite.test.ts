import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type RunningLocalServer } from '../../src/adapters/http/LocalServer.js';
import { loadStaticSite } from '../../src/adapters/http/StaticSite.js';
import { send } from './clients.js';
import { secureApi } from './localServerUnderTest.js';

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
      transportError: (code, requestId) => secureApi.transportError(code, requestId),
      site: loadStaticSite(WEB),
    });
  });
  after(() => server.close());
  beforeEach(() => {
    apiCalls.length = 0;
  });

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

  it('keeps every page out of frames and its address out of Referer headers, for browsers old and new', async () => {
    for (const path of ['/', '/app.js', '/docs']) {
      const res = await fetch(server.url + path);
      await res.arrayBuffer();

      expect(res.headers.get('x-frame-options'), path).to.equal('DENY');
      expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
      expect(res.headers.get('content-security-policy'), path).to.contain("frame-ancestors 'none'");
    }
  });

  it('allows inline styles on the API reference only, which swagger-ui needs, not on the client', async () => {
    const policies: Record<string, string> = {};
    for (const path of ['/', '/app.js', '/app.css', '/docs', '/docs/init.js']) {
      const res = await fetch(server.url + path);
      await res.arrayBuffer();
      policies[path] = res.headers.get('content-security-policy') ?? '';
    }

    for (const path of ['/', '/app.js', '/app.css']) expect(policies[path], path).to.not.contain('unsafe-inline');
    for (const path of ['/docs', '/docs/init.js']) expect(policies[path], path).to.contain("style-src 'self' 'unsafe-inline'");
    for (const policy of Object.values(policies)) expect(policy).to.contain("script-src 'self';").and.not.match(/script-src[^;]*unsafe/);
  });

  it('answers HEAD without a body, and leaves every other path to the API', async () => {
    const head = await fetch(server.url + '/', { method: 'HEAD' });
    const others = [await fetch(server.url + '/web/index.html'), await fetch(server.url + '/../package.json')];

    expect([head.status, (await head.text()).length]).to.deep.equal([200, 0]);
    expect(others.map((r) => r.status)).to.deep.equal([404, 404]);
    expect(apiCalls).to.deep.equal(['GET /web/index.html', 'GET /package.json']);
  });

  for (const method of ['POST', 'TRACE', 'PUT', 'DELETE', 'OPTIONS']) {
    it(`answers ${method} on a page with 405 method_not_allowed in the API's shape, naming GET and HEAD`, async () => {
      const reply = await send(server.url, '/docs', { method, ...(method === 'POST' ? { body: '{}' } : {}) });

      expect(reply.status).to.equal(405);
      expect(reply.headers.allow).to.equal('GET, HEAD');
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(reply.body.toString('utf8'))).to.include({ error: 'method_not_allowed' });
      expect(apiCalls, 'the API never saw it').to.deep.equal([]);
    });
  }
});
