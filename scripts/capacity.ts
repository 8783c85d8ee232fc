// npm run capacity: what each API operation costs on DynamoDB, measured. Every operation runs
// through the real handlers on DynamoDB Local (started here), with ReturnConsumedCapacity on every
// request, a few times each; the median calls, read units and write units go into
// docs/capacity.json (read by `npm run cost`) and docs/capacity.md. Lambda time is estimated: the
// handler's CPU time measured here, scaled to the function's share of a vCPU, plus a typical
// in-region DynamoDB round trip per call.
import { writeFileSync } from 'node:fs';
import { startDynamoDbLocal } from './dynamoDbLocal.mjs';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';
import type { DynamoDbTable } from '../src/adapters/dynamodb/DynamoDbTable.js';
import { loadConfig } from '../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve } from '../src/adapters/lambda/container.js';
import { TYPES } from '../src/adapters/lambda/TYPES.js';
import type { ConnectionGateway } from '../src/ports/ConnectionGateway.js';
import { OWASP_SCRYPT_COST, ScryptPasswordHasher } from '../src/adapters/runtime/ScryptPasswordHasher.js';
import { v2Event } from '../test/lambda/events.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REPEATS = 5;
const PASSWORD = 'capacity password';
/** A DynamoDB round trip in the same region, single-digit milliseconds; an estimate, not measured here. */
const DYNAMODB_ROUND_TRIP_MS = 8;
/** Lambda gives a function one full vCPU at 1,769 MB, proportionally less below. */
const FULL_VCPU_MB = 1769;
const MEMORY = { ordinary: 1024, hashing: 1769, push: 512 } as const;
const READS = new Set(['GetItem', 'Query', 'BatchGetItem']);

interface Sample {
  calls: number;
  /** The least AWS bills the calls that read: 1 unit each strongly consistent one, 0.5 each eventually consistent one. */
  readCalls: number;
  readUnits: number;
  writeUnits: number;
  cpuMs: number;
}

// ---- DynamoDB Local and the app on it, pushing as on AWS (the stream, not the request) ----------

const local = await startDynamoDbLocal();
const settings = { tableName: 'capacity', region: 'local', endpoint: local.endpoint };
await ensureTable(settings);
const container = buildContainer(
  loadConfig({
    SCRYPT_COST: 'owasp',
    TOKEN_SECRET: 'capacity-script-secret-of-32-bytes!!',
    LOG_LEVEL: 'silent',
    REGISTER_PER_MINUTE: '1000000',
    UNKNOWN_USER_CHECKS_PER_MINUTE: '1000000',
  }),
  dynamoDbStorage(settings),
);
container.unbind(TYPES.NotifierFor);
container.bind(TYPES.NotifierFor).toConstantValue(() => ({ delivered: () => undefined }));
const silentGateway: ConnectionGateway = {
  push: async () => true,
  pong: async () => undefined,
  close: async () => undefined,
  opened: () => undefined,
};
container.unbind(TYPES.ConnectionGateway);
container.bind(TYPES.ConnectionGateway).toConstantValue(silentGateway);
const api = resolve(container, TYPES.ApiHandler);
const ws = resolve(container, TYPES.WebSocketHandler);
const useCases = resolve(container, TYPES.UseCases);
const users = resolve(container, TYPES.UserRepository);

let current: Sample = { calls: 0, readCalls: 0, readUnits: 0, writeUnits: 0, cpuMs: 0 };
recordCapacity(resolve(container, TYPES.DynamoDbTable));

function recordCapacity(table: DynamoDbTable): void {
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum: number, c) => sum + ((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
      current.calls++;
      if (READS.has(operation)) {
        current.readCalls += isConsistentRead(args.input as Record<string, unknown>) ? 1 : 0.5;
        current.readUnits += units;
      } else {
        current.writeUnits += units;
      }
      return result;
    },
    { step: 'initialize', name: 'capacity' },
  );
}

/** Whether a GetItem, Query or BatchGetItem asks for a strongly consistent read (billed twice an eventual one). */
function isConsistentRead(input: Record<string, unknown>): boolean {
  const requests = input.RequestItems as Record<string, { ConsistentRead?: boolean }> | undefined;
  if (requests) return Object.values(requests).some((request) => request.ConsistentRead === true);
  return input.ConsistentRead === true;
}

/** Runs `work` REPEATS times (after `prepare`, which is not counted) and keeps the medians. */
async function measure(prepare: () => Promise<unknown>, work: (prepared: any) => Promise<unknown>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const prepared = await prepare();
    current = { calls: 0, readCalls: 0, readUnits: 0, writeUnits: 0, cpuMs: 0 };
    const cpu = process.cpuUsage();
    await work(prepared);
    const used = process.cpuUsage(cpu);
    samples.push({ ...current, cpuMs: (used.user + used.system) / 1000 });
  }
  const median = (pick: (s: Sample) => number) => samples.map(pick).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  return {
    calls: median((s) => s.calls),
    readCalls: median((s) => s.readCalls),
    readUnits: median((s) => s.readUnits),
    writeUnits: median((s) => s.writeUnits),
    cpuMs: median((s) => s.cpuMs),
  };
}

async function call(path: string, body: object, token?: string): Promise<any> {
  const result = await api.router(v2Event({ path, body, headers: token ? { authorization: `Bearer ${token}` } : {} }));
  if (result.statusCode !== 200) throw new Error(`${path}: ${result.statusCode} ${result.body}`);
  return JSON.parse(result.body);
}

// Users straight into the table with one precomputed hash: registering thousands would take an hour.
const passwordHash = await new ScryptPasswordHasher(OWASP_SCRYPT_COST).hash(PASSWORD);
let made = 0;
async function newUsers(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `user-CAP${(made++).toString(36).toUpperCase().padStart(8, '0')}`);
  for (let i = 0; i < ids.length; i += 25) {
    await Promise.all(ids.slice(i, i + 25).map((id) => users.insert({ id, passwordHash, createdAt: Date.now() })));
  }
  return ids;
}
const tokenOf = async (id: string) => (await call('/login', { user_id: id, password: PASSWORD })).token as string;
async function groupOf(members: number): Promise<{ sender: string; token: string; groupId: string }> {
  const [sender, ...others] = await newUsers(members);
  const token = await tokenOf(sender!);
  const { group_id: groupId } = await call('/create_group', { members: others }, token);
  return { sender: sender!, token, groupId };
}

// ---- The operations -------------------------------------------------------------------------------

interface Row {
  key: string;
  title: string;
  memoryMb: number;
  sample: Sample;
  how: string;
  members?: number;
}
const rows: Row[] = [];
const add = (key: string, title: string, memoryMb: number, sample: Sample, how: string, members?: number) =>
  rows.push({ key, title, memoryMb, sample, how, ...(members === undefined ? {} : { members }) });
let n = 0;
const text = () => `a message of ordinary length, number ${n++}: about a hundred bytes of text in one inbox`;

console.log(`Measuring on DynamoDB Local (${local.endpoint}), ${REPEATS} runs of each...`);
const [alice, bob] = await newUsers(2);
const [aliceToken, bobToken] = [await tokenOf(alice!), await tokenOf(bob!)];
for (let i = 0; i < 20; i++) await call('/send_message', { receiver_id: bob, message: text() }, aliceToken);
let cursor = (await call('/check_messages', {}, bobToken)).next_cursor;
await new Promise((r) => setTimeout(r, 5_100)); // the history settles: a steady poll carries no seen ids

add('check_messages_token', 'check_messages, token, nothing new', MEMORY.ordinary,
  await measure(async () => undefined, async () => (cursor = (await call('/check_messages', { cursor }, bobToken)).next_cursor)),
  'one Query of the inbox after the cursor');
add('check_messages_token_10_new', 'check_messages, token, 10 new messages', MEMORY.ordinary,
  await measure(
    async () => { for (let i = 0; i < 10; i++) await call('/send_message', { receiver_id: bob, message: text() }, aliceToken); },
    async () => (cursor = (await call('/check_messages', { cursor }, bobToken)).next_cursor),
  ),
  'one Query returning 10 messages of about 100 characters');
await call('/check_messages', { user_id: bob, password: PASSWORD });
add('check_messages_password_cached', 'check_messages, cached password', MEMORY.ordinary,
  await measure(async () => undefined, () => call('/check_messages', { user_id: bob, password: PASSWORD, cursor })),
  'the user and lockout items (one Query), then the inbox Query');
add('check_messages_password_uncached', 'check_messages, password not cached (first of an instance)', MEMORY.ordinary,
  await measure(async () => (await newUsers(1))[0], (id: string) => call('/check_messages', { user_id: id, password: PASSWORD })),
  'the user and lockout items, a reservation (GetItem, UpdateItem), scrypt, its release (UpdateItem), the inbox Query');
add('login', 'login', MEMORY.hashing,
  await measure(async () => (await newUsers(1))[0], (id: string) => call('/login', { user_id: id, password: PASSWORD })),
  'as an uncached password check, without the inbox');
add('register_user', 'register_user', MEMORY.hashing,
  await measure(async () => undefined, () => call('/register_user', { password: PASSWORD })),
  'the per-address counter (UpdateItem), the user (PutItem)');
add('send_message', 'send_message', MEMORY.ordinary,
  await measure(async () => undefined, () => call('/send_message', { receiver_id: bob, message: text() }, aliceToken)),
  'one TransactWriteItems: receiver exists, not blocked, the inbox item');
add('send_message_with_client_id', 'send_message with client_message_id', MEMORY.ordinary,
  await measure(async () => undefined, () =>
    call('/send_message', { receiver_id: bob, message: text(), client_message_id: `cap-${n}` }, aliceToken)),
  'the same transaction with the claim');
for (const members of [10, 100, 1024]) {
  const group = await groupOf(members);
  add('send_group_message', `send_group_message, ${members} members`, MEMORY.ordinary,
    await measure(async () => undefined, () => call('/send_group_message', { group_id: group.groupId, message: text() }, group.token)),
    'Query of the group, Query of the sender’s blockers, BatchWriteItem per 25 inboxes', members);
  add('send_group_message_with_client_id', `send_group_message with client_message_id, ${members} members`, MEMORY.ordinary,
    await measure(async () => undefined, () =>
      call('/send_group_message', { group_id: group.groupId, message: text(), client_message_id: `capg-${n}` }, group.token)),
    'as without, plus the claim (PutItem) that lists the recipients', members);
  if (members === 1024) {
    add('get_group_1024', 'get_group, 1,024 members', MEMORY.ordinary,
      await measure(async () => undefined, () => call('/get_group', { group_id: group.groupId }, group.token)),
      'one Query of the group partition');
  }
}
const [carol] = await newUsers(1);
add('block_user', 'block_user', MEMORY.ordinary,
  await measure(async () => undefined, () => call('/block_user', { blocked_user_id: carol }, aliceToken)),
  'BatchGetItem (the user exists), PutItem');
add('unblock_user', 'unblock_user', MEMORY.ordinary,
  await measure(async () => undefined, () => call('/unblock_user', { blocked_user_id: carol }, aliceToken)),
  'BatchGetItem, DeleteItem');
add('create_group_10', 'create_group, 10 members', MEMORY.ordinary,
  await measure(async () => newUsers(9), (members: string[]) => call('/create_group', { members }, aliceToken)),
  'BatchGetItem (members exist), Query of blockers, one TransactWriteItems');
const ten = await groupOf(10);
add('add_member', 'add_remove_users, add (10 members)', MEMORY.ordinary,
  await measure(async () => (await newUsers(1))[0], (id: string) =>
    call('/add_remove_users', { group_id: ten.groupId, user_id: id, action: 'add' }, ten.token)),
  'BatchGetItem, Query of the group, one TransactWriteItems');
add('list_groups', 'list_groups (1 group)', MEMORY.ordinary,
  await measure(async () => undefined, () => call('/list_groups', {}, ten.token)),
  'Query of memberships, BatchGetItem of their groups');

// Push: what a connection and one pushed message cost on the table (the Management API is priced apart).
const [pushee] = await newUsers(1);
const pusheeToken = await tokenOf(pushee!);
let connectionNumber = 0;
add('ws_connect', 'WebSocket $connect', MEMORY.push,
  await measure(async () => undefined, () =>
    ws.connect({ requestContext: { routeKey: '$connect', connectionId: `cap-c${connectionNumber++}` }, queryStringParameters: { token: pusheeToken } })),
  'PutItem of the connection’s own item, GetItem of the user’s connections item, PutItem of it back at the version read');
add('ws_disconnect', 'WebSocket $disconnect', MEMORY.push,
  await measure(async () => {
    const connectionId = `cap-d${connectionNumber++}`;
    await ws.connect({ requestContext: { routeKey: '$connect', connectionId }, queryStringParameters: { token: pusheeToken } });
    return connectionId;
  }, (connectionId: string) => ws.disconnect({ requestContext: { routeKey: '$disconnect', connectionId } })),
  'GetItem of the connection, UpdateItem removing it from the user’s connections item, DeleteItem of its own item');
add('ws_ping', 'WebSocket ping ($default, answered with a pong)', MEMORY.push,
  await measure(async () => undefined, () =>
    ws.message({ requestContext: { routeKey: '$default', connectionId: 'cap-c0' }, body: '{"type":"ping"}' })),
  'no DynamoDB: a pong through the Management API');
const pushed = { id: 'msg-CAPACITY', senderId: alice!, text: text(), sentAt: Date.now() };
add('push_per_recipient', 'push of one message to one recipient (stream consumer)', MEMORY.push,
  await measure(async () => undefined, () => useCases.pushMessage.execute([{ recipientId: pushee!, message: pushed }])),
  'an eventually consistent GetItem of the recipient’s connections item (then one Management API post per connection)');

await local.stop();

// ---- The files ------------------------------------------------------------------------------------

const lambdaMsOf = (row: Row) =>
  Math.round(row.sample.cpuMs * (FULL_VCPU_MB / row.memoryMb) + row.sample.calls * DYNAMODB_ROUND_TRIP_MS);
/**
 * DynamoDB Local reports 0 units for a read that finds nothing; AWS bills every strongly consistent
 * read request at least 1 read unit, an eventually consistent one 0.5. The cost model gets what
 * AWS would bill.
 */
const billedReadUnits = (row: Row) => Math.max(row.sample.readUnits, row.sample.readCalls);
const usage = (row: Row) => ({
  lambdaMs: lambdaMsOf(row),
  memoryMb: row.memoryMb,
  readUnits: billedReadUnits(row),
  writeUnits: row.sample.writeUnits,
  dynamodbCalls: row.sample.calls,
});
const one = (key: string) => {
  const row = rows.find((r) => r.key === key)!;
  return { ...usage(row), how: row.how };
};
const bySize = (key: string) => ({
  how: rows.find((r) => r.key === key)!.how,
  byGroupSize: rows.filter((r) => r.key === key).map((r) => ({ members: r.members!, ...usage(r) })),
});
const measuredAt = new Date().toISOString().slice(0, 10);
const capacity = {
  measured: true,
  note:
    'DynamoDB calls and units measured by `npm run capacity` on DynamoDB Local (ReturnConsumedCapacity, median of ' +
    `${REPEATS} runs). Lambda time is estimated: the handler's CPU time measured here, scaled to the function's ` +
    `share of a vCPU (1,769 MB is one), plus ${DYNAMODB_ROUND_TRIP_MS} ms per DynamoDB call.`,
  measuredAt,
  logBytesPerRequest: {
    value: 600,
    how: 'the request’s JSON line (about 230 bytes), Lambda’s START, END and REPORT lines (about 270), and the 26 bytes per event CloudWatch Logs adds when metering ingestion',
  },
  inboxItemBytes: { value: 350, how: 'one message in one inbox: keys, sender, timestamps and about 100 bytes of text' },
  operations: {
    check_messages_token: one('check_messages_token'),
    check_messages_password_cached: one('check_messages_password_cached'),
    check_messages_password_uncached: one('check_messages_password_uncached'),
    login: one('login'),
    send_message: one('send_message'),
    send_message_with_client_id: one('send_message_with_client_id'),
    send_group_message: bySize('send_group_message'),
    send_group_message_with_client_id: bySize('send_group_message_with_client_id'),
    ws_connect: one('ws_connect'),
    ws_disconnect: one('ws_disconnect'),
    ws_ping: one('ws_ping'),
    push_per_recipient: one('push_per_recipient'),
  },
};
writeFileSync('docs/capacity.json', `${JSON.stringify(capacity, null, 2)}\n`);

const table = rows
  .map((r) => `| ${r.title} | ${r.sample.calls} | ${r.sample.readUnits} (${billedReadUnits(r)}) | ${r.sample.writeUnits} | ${lambdaMsOf(r)} ms at ${r.memoryMb} MB | ${r.how} |`)
  .join('\n');
writeFileSync(
  'docs/capacity.md',
  `# What each operation costs on DynamoDB, measured

Generated by \`npm run capacity\` on ${measuredAt}; do not edit by hand. Every operation ran through the real
handlers on DynamoDB Local with \`ReturnConsumedCapacity\`; the figures are the median of ${REPEATS} runs.
Read units are strongly consistent (1 per 4 KB) except a push's read of a user's connections (half
that), write units 1 per KB, twice that per item inside a transaction, as DynamoDB Local reports
them; in brackets, what AWS bills for the reads: DynamoDB Local reports 0 for a read that finds
nothing, where AWS bills every strongly consistent read request at least 1 unit and an eventually
consistent one 0.5 (the cost model uses the bracketed figure). Requests authenticate with a bearer token
unless the row says otherwise. Lambda time is an estimate: the handler's CPU time here, scaled to the
function's share of a vCPU, plus ${DYNAMODB_ROUND_TRIP_MS} ms per DynamoDB call. \`npm run cost\` prices these
numbers (docs/capacity.json); docs/dynamodb.md explains them.

| operation | DynamoDB calls | read units (billed) | write units | Lambda (estimated) | what it does |
|---|---|---|---|---|---|
${table}
`,
);
console.log(`Wrote docs/capacity.json and docs/capacity.md (${rows.length} rows):\n`);
for (const r of rows) {
  const reads = `${r.sample.readUnits} (${billedReadUnits(r)})`;
  console.log(`  ${r.title.padEnd(60)} ${String(r.sample.calls).padStart(3)} calls ${reads.padStart(9)} RRU ${String(r.sample.writeUnits).padStart(6)} WRU`);
}
