// The browser client (web/) in a real headless Chromium (Debian's, driven by puppeteer-core), on
// the local server with push: two pages as two users; one sends, the other shows it within two
// seconds; a message sent while the receiver's connection is down appears after it reconnects, once.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startLocalServer, type RunningLocalServer } from '../../src/adapters/http/LocalServer.js';
import { loadStaticSite } from '../../src/adapters/http/StaticSite.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'browser password';
const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

describe('the browser client, in Chromium', function () {
  this.timeout(60_000);
  let server: RunningLocalServer;
  let browser: Browser;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; or set CHROMIUM_PATH)`);
    }
    const container = buildContainer(
      loadConfig({ SCRYPT_COST: 'test', TOKEN_SECRET: 'browser-tests-secret-of-32-bytes-ok!', LOG_LEVEL: 'silent' }),
    );
    const api = resolve(container, TYPES.ApiHandler);
    const ws = resolve(container, TYPES.WebSocketHandler);
    server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handler: api.router,
      transportError: (code, requestId) => api.transportError(code, requestId),
      site: loadStaticSite(WEB),
      webSockets: { connect: ws.connect, disconnect: ws.disconnect, message: ws.message, connections: resolve(container, TYPES.LocalConnections) },
    });
    // The flags keep a root, sandbox-less machine with a closed network from stalling Chromium.
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function register(): Promise<string> {
    const res = await fetch(`${server.url}/register_user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    return ((await res.json()) as { user_id: string }).user_id;
  }

  async function signIn(userId: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    await page.type('#login-form input[name=user_id]', userId);
    await page.type('#login-form input[name=password]', PASSWORD);
    await page.click('#login-form button');
    await page.waitForFunction(`document.querySelector('#live')?.textContent === 'live'`, { timeout: 10_000, polling: 50 });
    return page;
  }

  async function send(page: Page, to: string, text: string): Promise<void> {
    // Chromium holds back input to a tab in the background (the receiver's page opened last).
    await page.bringToFront();
    await page.select('#send-form select[name=target]', 'direct');
    await page.type('#send-form input[name=receiver_id]', to);
    await page.type('#send-form textarea[name=message]', text);
    await page.click('#send-form button');
    await page.waitForFunction(`document.querySelector('#status')?.textContent === 'Sent.'`, { polling: 50 });
  }

  // Code that runs in the page is given as source text: functions would reach the browser as this
  // test's transpiled output, with the transpiler's helpers missing there.
  const countOf = (text: string) =>
    `[...document.querySelectorAll('#inbox li .text')].filter((item) => item.textContent === ${JSON.stringify(text)}).length`;

  /** How many inbox entries of the page show `text`. */
  const shown = (page: Page, text: string) => page.evaluate(countOf(text)) as Promise<number>;

  it('shows a message on the receiver’s page within two seconds of the sender’s send, by push', async () => {
    const [alice, bob] = [await register(), await register()];
    const [sender, receiver] = [await signIn(alice), await signIn(bob)];
    const text = `hello from the browser ${Date.now()}`;

    await send(sender, bob, text);
    await receiver.bringToFront();
    await receiver.waitForFunction(`${countOf(text)} > 0`, { timeout: 2_000, polling: 50 });

    expect(await shown(receiver, text)).to.equal(1);
  });

  it('shows, once, a message sent while the receiver was disconnected, after it reconnects', async () => {
    const [alice, bob] = [await register(), await register()];
    const [sender, receiver] = [await signIn(alice), await signIn(bob)];
    const text = `sent while you were away ${Date.now()}`;

    await receiver.evaluate('window.chat.connection.pause()');
    await receiver.waitForFunction(`document.querySelector('#live')?.textContent === 'offline'`, { polling: 50 });
    await send(sender, bob, text);
    await new Promise((r) => setTimeout(r, 500));
    const whileAway = await shown(receiver, text);
    await receiver.bringToFront();
    await receiver.evaluate('window.chat.connection.resume()');
    await receiver.waitForFunction(`${countOf(text)} > 0`, { timeout: 5_000, polling: 50 });
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up, if there were one

    expect(whileAway, 'nothing arrives without a connection (and before the minute poll)').to.equal(0);
    expect(await shown(receiver, text), 'caught up by cursor, once').to.equal(1);
  });

  it('serves the API reference at /docs from local assets, rendering the OpenAPI description', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (/^(https?|wss?):/.test(url) && !url.startsWith(server.url)) outside.push(url); // data: URLs are inline
    });

    await page.goto(server.url + '/docs');
    await page.waitForSelector('.swagger-ui .opblock', { timeout: 15_000 });
    const operations = (await page.evaluate(
      `[...document.querySelectorAll('.swagger-ui .opblock-summary-path')].map((path) => path.textContent.trim())`,
    )) as string[];

    expect(operations).to.include.members(['/send_message', '/check_messages', '/health']);
    expect(outside, 'no asset from anywhere else').to.deep.equal([]);
  });
});
