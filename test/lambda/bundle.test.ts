// The deployable artifact itself: dist/lambda.zip, built fresh, unpacked, and its handlers.mjs run
// by plain node in a process of its own (in-memory storage, test scrypt cost, a TOKEN_SECRET, not
// on Lambda), called with API Gateway 2.0 events. The sources are tested elsewhere; this proves
// that what gets uploaded works, including the trimmed class-validator build it is bundled with.
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { LAMBDA_MODULE, type BuiltLambda } from '../../scripts/buildLambda.mjs';
import { startSsmStub } from '../../scripts/ssmStub.mjs';
import { STREAM_HANDLER, WEBSOCKET_ROUTES } from '../../src/adapters/lambda/pushRoutes.js';
import { ROUTES } from '../../src/adapters/lambda/routes.js';
import type { HttpResult } from '../../src/adapters/lambda/responses.js';
import { BundleProcess } from '../support/BundleProcess.js';
import { builtLambda } from '../support/builtLambda.js';
import { v2Event, type EventOptions } from './events.js';

const PASSWORD = 'bundle password';
const ENV = { SCRYPT_COST: 'test', TOKEN_SECRET: 'bundle-test-secret-of-at-least-32-bytes', LOG_LEVEL: 'silent' };

function json(result: HttpResult): any {
  return JSON.parse(result.body);
}

describe('Lambda bundle (dist/lambda.zip)', function () {
  this.timeout(30000);

  let built: BuiltLambda;
  let unpacked: string;
  let entries: string[];
  let bundle: BundleProcess;

  const call = (handler: string, options: EventOptions): Promise<HttpResult> => bundle.invoke(handler, v2Event(options));
  const register = async (): Promise<string> =>
    json(await call('registerUser', { path: '/register_user', body: { password: PASSWORD } })).user_id;

  before(async function () {
    built = await builtLambda();
    unpacked = mkdtempSync(join(tmpdir(), 'lambda-unzipped-'));
    const files = unzipSync(readFileSync(built.zipPath));
    entries = Object.keys(files);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(unpacked, name, '..'), { recursive: true });
      writeFileSync(join(unpacked, name), content);
    }
    bundle = await BundleProcess.start(join(unpacked, LAMBDA_MODULE), { ...ENV, NODE_OPTIONS: '--enable-source-maps' });
  });

  after(async function () {
    await bundle?.stop();
    rmSync(unpacked, { recursive: true, force: true });
  });

  it('holds the module Lambda loads (handler "handlers.<export>"), the chunks it imports when needed, their source maps, and nothing else', function () {
    const chunks = entries.filter((e) => e.startsWith('chunks/') && e.endsWith('.mjs'));

    expect(entries, 'zip entries').to.include.members([LAMBDA_MODULE, `${LAMBDA_MODULE}.map`]);
    expect(entries.filter((e) => !e.startsWith('chunks/')), 'outside chunks/').to.have.members([LAMBDA_MODULE, `${LAMBDA_MODULE}.map`]);
    expect(entries.filter((e) => e.startsWith('chunks/')), 'each chunk and its map').to.have.members(chunks.flatMap((c) => [c, `${c}.map`]));
    expect(chunks.some((c) => c.startsWith('chunks/secureParameter-')), 'the SSM reader is a chunk of its own').to.equal(true);
    expect(chunks.some((c) => c.startsWith('chunks/tracing-')), 'the tracer is a chunk of its own').to.equal(true);
  });

  it('exports a function for every route of the route table and every push entry point, plus router and transportError', async function () {
    const types = await bundle.exportTypes();

    const expected = [
      ...ROUTES.map((r) => r.handler),
      'router',
      'transportError',
      ...WEBSOCKET_ROUTES.map((r) => r.handler),
      STREAM_HANDLER,
    ];
    expect(Object.keys(types), 'the bundle exports exactly the handlers, and the local server’s sockets, log and two-region parts').to.have.members([
      ...expected,
      'localConnections',
      'localManagement',
      'localStream',
      'requestLog',
    ]);
    for (const name of expected) expect(types[name], `export ${name}`).to.equal('function');
  });

  it('leaves libphonenumber-js and the validators no DTO uses out of the bundle', function () {
    const phone = built.inputs.filter((input) => input.includes('node_modules/libphonenumber-js/'));
    const validators = built.inputs.filter((input) => /node_modules\/validator\/lib\/is(Email|MobilePhone|TaxID)\.js$/.test(input));

    expect(phone, 'libphonenumber-js modules in the bundle').to.deep.equal([]);
    expect(validators, 'unused validator modules in the bundle').to.deep.equal([]);
  });

  it('answers GET /health and serves the OpenAPI document listing every path', async function () {
    const health = await call('health', { method: 'GET', path: '/health' });
    const openapi = await call('openapi', { method: 'GET', path: '/openapi.json' });

    expect([health.statusCode, json(health)]).to.deep.equal([200, { status: 'ok' }]);
    expect(Object.keys(json(openapi).paths), 'OpenAPI paths').to.have.members(ROUTES.map((r) => r.path));
  });

  it('registers users, logs in, sends a message and delivers it to a poll with a bearer token', async function () {
    const [alice, bob] = [await register(), await register()];

    const login = await call('login', { path: '/login', body: { user_id: bob, password: PASSWORD } });
    const sent = await call('sendMessage', {
      path: '/send_message',
      body: { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'from the bundle' },
    });
    const inbox = await call('checkMessages', {
      path: '/check_messages',
      body: {},
      headers: { authorization: `Bearer ${json(login).token}` },
    });

    expect([login.statusCode, sent.statusCode, inbox.statusCode], 'login, send, check').to.deep.equal([200, 200, 200]);
    expect(json(inbox).messages.map((m: any) => [m.sender_id, m.message])).to.deep.equal([[alice, 'from the bundle']]);
  });

  it('validates bodies with the bundled class-validator: 400 naming each bad field, 401 for a wrong password', async function () {
    const alice = await register();

    const invalid = await call('sendMessage', {
      path: '/send_message',
      body: { sender_id: alice, password: PASSWORD, receiver_id: 7, message: 42 },
    });
    const shortPassword = await call('registerUser', { path: '/register_user', body: { password: 'short' } });
    const wrong = await call('checkMessages', { path: '/check_messages', body: { user_id: alice, password: 'not the password' } });

    expect([invalid.statusCode, json(invalid).error]).to.deep.equal([400, 'validation_failed']);
    expect(json(invalid).details.map((d: any) => d.field)).to.have.members(['receiver_id', 'message']);
    expect(json(shortPassword).details.map((d: any) => d.field)).to.deep.equal(['password']);
    expect([wrong.statusCode, json(wrong).error]).to.deep.equal([401, 'unauthorized']);
  });

  it('blocks and unblocks: a blocked sender is refused, then delivered again', async function () {
    const [alice, bob] = [await register(), await register()];
    const send = () =>
      call('sendMessage', { path: '/send_message', body: { sender_id: bob, password: PASSWORD, receiver_id: alice, message: 'hi' } });

    const block = await call('blockUser', { path: '/block_user', body: { user_id: alice, password: PASSWORD, blocked_user_id: bob } });
    const refused = await send();
    const unblock = await call('unblockUser', { path: '/unblock_user', body: { user_id: alice, password: PASSWORD, blocked_user_id: bob } });
    const delivered = await send();

    expect([block.statusCode, unblock.statusCode]).to.deep.equal([200, 200]);
    expect([refused.statusCode, json(refused).error]).to.deep.equal([403, 'blocked']);
    expect(delivered.statusCode).to.equal(200);
  });

  it('creates a group, adds a member, sends to the group, and shows it to its members', async function () {
    const [owner, member, later] = [await register(), await register(), await register()];
    const actor = (user_id: string) => ({ user_id, password: PASSWORD });

    const created = await call('createGroup', { path: '/create_group', body: { ...actor(owner), members: member, name: 'Bundle' } });
    const group_id = json(created).group_id;
    const added = await call('addRemoveUsers', {
      path: '/add_remove_users',
      body: { requester_id: owner, password: PASSWORD, group_id, user_id: later, action: 'add' },
    });
    const sent = await call('sendGroupMessage', {
      path: '/send_group_message',
      body: { sender_id: member, password: PASSWORD, group_id, message: 'to the group' },
    });
    const group = await call('getGroup', { path: '/get_group', body: { ...actor(later), group_id } });
    const groups = await call('listGroups', { path: '/list_groups', body: actor(later) });
    const inbox = await call('checkMessages', { path: '/check_messages', body: actor(owner) });

    expect([created.statusCode, added.statusCode, sent.statusCode]).to.deep.equal([200, 200, 200]);
    expect(json(group).members.map((m: any) => m.user_id)).to.deep.equal([owner, member, later]);
    expect(json(groups).groups.map((g: any) => g.group_id)).to.deep.equal([group_id]);
    expect(json(inbox).messages.map((m: any) => [m.group_id, m.message])).to.deep.equal([[group_id, 'to the group']]);
  });

  it("answers the API's own 404 and 405 through router, the handler of API Gateway's $default route", async function () {
    const unknown = await call('router', { method: 'POST', path: '/no_such_endpoint', body: {} });
    const wrongMethod = await call('router', { method: 'GET', path: '/send_message' });
    const known = await call('router', { method: 'GET', path: '/health' });

    expect([unknown.statusCode, json(unknown).error]).to.deep.equal([404, 'not_found']);
    expect([wrongMethod.statusCode, json(wrongMethod).error, wrongMethod.headers.Allow]).to.deep.equal([
      405,
      'method_not_allowed',
      'POST',
    ]);
    expect(known.statusCode).to.equal(200);
  });

  it('refuses a body over 64 KiB with 413 payload_too_large', async function () {
    const tooLarge = await bundle.invoke(
      'router',
      v2Event({ path: '/register_user', body: { password: 'x'.repeat(70 * 1024) } }),
    );

    expect([tooLarge.statusCode, json(tooLarge).error]).to.deep.equal([413, 'payload_too_large']);
  });

  it('refuses to start on Lambda without TOKEN_SECRET, with the in-memory store or the test scrypt cost', async function () {
    const onLambda = { SCRYPT_COST: 'test', LOG_LEVEL: 'silent', AWS_LAMBDA_FUNCTION_NAME: 'messaging-api-health' };

    const outcome = await BundleProcess.start(join(unpacked, LAMBDA_MODULE), onLambda).then(
      async (started) => (await started.stop(), 'started'),
      (error: Error) => error.message,
    );

    expect(outcome, 'loading the bundle on Lambda with test-only settings and no secret').to.match(
      /Refused on AWS Lambda: STORAGE=memory.*SCRYPT_COST=test.*TOKEN_SECRET_PARAMETER \(or TOKEN_SECRET\) must be set/,
    );
  });

  it('reads the token secret once, at start-up, from the SSM parameter TOKEN_SECRET_PARAMETER names (Powertools Parameters)', async function () {
    const secret = 'the-ssm-secret-of-the-deployment-0123456789';
    const ssm = await startSsmStub({ '/messaging-api/token-secret': secret });
    const fromSsm = await BundleProcess.start(join(unpacked, LAMBDA_MODULE), {
      SCRYPT_COST: 'test',
      LOG_LEVEL: 'silent',
      TOKEN_SECRET_PARAMETER: '/messaging-api/token-secret',
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    try {
      const asked = ssm.requests.map((r) => [r.target, r.body]);
      const invoke = (handler: string, options: EventOptions) => fromSsm.invoke(handler, v2Event(options));
      const userId = json(await invoke('registerUser', { path: '/register_user', body: { password: PASSWORD } })).user_id;
      const { token } = json(await invoke('login', { path: '/login', body: { user_id: userId, password: PASSWORD } }));

      expect(asked, 'one decrypted read of the parameter, before the first request').to.deep.equal([
        ['AmazonSSM.GetParameter', { Name: '/messaging-api/token-secret', WithDecryption: true }],
      ]);
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret));
      expect(payload.sub, 'the login token is signed with the secret from SSM').to.equal(userId);
      expect(ssm.requests, 'no further read per request').to.have.length(1);
    } finally {
      await fromSsm.stop();
      await ssm.close();
    }
  });

  it('writes Powertools metrics to its log output as Embedded Metric Format, and its request lines with the same service', async function () {
    const metered = await BundleProcess.start(join(unpacked, LAMBDA_MODULE), {
      ...ENV,
      LOG_LEVEL: 'info',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_SERVICE_NAME: 'bundle-deployment',
      POWERTOOLS_METRICS_NAMESPACE: 'MessagingApi',
    });
    try {
      const invoke = (handler: string, options: EventOptions) => metered.invoke(handler, v2Event(options));
      const register = async () => json(await invoke('registerUser', { path: '/register_user', body: { password: PASSWORD } })).user_id;
      const [alice, bob, carol] = [await register(), await register(), await register()];
      const group_id = json(await invoke('createGroup', { path: '/create_group', body: { user_id: alice, password: PASSWORD, members: [bob, carol] } })).group_id;
      await invoke('sendGroupMessage', { path: '/send_group_message', body: { sender_id: alice, password: PASSWORD, group_id, message: 'to both' } });

      const emf = JSON.parse(await metered.stdoutLine((line) => line.includes('"GroupFanOut"')));
      const request = JSON.parse(await metered.stdoutLine((line) => line.includes('"route":"send_group_message"')));

      expect(emf._aws.CloudWatchMetrics, 'the EMF metadata').to.deep.equal([
        {
          Namespace: 'MessagingApi',
          Dimensions: [['service']],
          Metrics: [
            { Name: 'MessagesDelivered', Unit: 'Count' },
            { Name: 'GroupFanOut', Unit: 'Count' },
          ],
        },
      ]);
      expect(emf, 'two inboxes, a fan-out of two, for this deployment').to.include({ service: 'bundle-deployment', MessagesDelivered: 2, GroupFanOut: 2 });
      expect(request).to.include({ service: 'bundle-deployment', level: 'INFO', message: 'request', status: 200 });
    } finally {
      await metered.stop();
    }
  });
});
