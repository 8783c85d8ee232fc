// A local server started before each test of the calling suite and closed after it. Its handler
// records every event and answers with `respond`; its refusals are the real API's (secure
// profile), recorded too, so a test sees exactly what a client of `npm start` would.
import type { HttpApiEvent } from '../../src/adapters/http/HttpApiEvent.js';
import {
  startLocalServer,
  type LocalHttpResult,
  type LocalServerOptions,
  type RunningLocalServer,
  type StartLocalServerOptions,
} from '../../src/adapters/http/LocalServer.js';
import type { RefusedRequestCode } from '../../src/adapters/lambda/refusedRequest.js';
import { apiFor } from '../lambda/apiFor.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const secureApi = apiFor().api;
export const seedApi = apiFor({ API_PROFILE: 'seed' }).api;

export interface LocalServerUnderTest {
  server: RunningLocalServer;
  events: HttpApiEvent[];
  refusals: { code: RefusedRequestCode; requestId: string }[];
  logLines: string[];
  respond: (event: HttpApiEvent) => Promise<LocalHttpResult>;
  /** Closes the running server and starts one with these options instead. */
  restart(overrides: Partial<StartLocalServerOptions>): Promise<void>;
}

export function localServerUnderTest(defaults: Partial<StartLocalServerOptions> = {}): LocalServerUnderTest {
  const under: LocalServerUnderTest = {
    server: undefined as unknown as RunningLocalServer,
    events: [],
    refusals: [],
    logLines: [],
    respond: async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' }),
    async restart(overrides) {
      await under.server.close();
      await start(overrides);
    },
  };

  const transportError: LocalServerOptions['transportError'] = (code, requestId) => {
    under.refusals.push({ code, requestId });
    return secureApi.transportError(code, requestId);
  };

  async function start(overrides: Partial<StartLocalServerOptions> = {}): Promise<void> {
    under.server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handler: (event) => {
        under.events.push(event);
        return under.respond(event);
      },
      transportError,
      log: (line) => under.logLines.push(line),
      ...defaults,
      ...overrides,
    });
  }

  beforeEach(async () => {
    under.events = [];
    under.refusals = [];
    under.logLines = [];
    under.respond = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    await start();
  });

  afterEach(async () => {
    await under.server.close();
  });

  return under;
}
