// The harness's replicator (scripts/replicator.ts) on its own, on the shared harness's two DynamoDB
// Local instances: what a test of the application may rely on it for, as Global Tables promise
// it (last writer wins per item, deletes replicate, nothing is replicated back and forth), and the
// controls the tests use (delay, pause, resume, settled).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Harness } from '../../scripts/multiRegionHarness.js';
import { sharedHarness, sleep } from './twoRegions.js';

describe('The replicator', function () {
  this.timeout(60_000);
  let h: Harness;
  let a: string;
  let b: string;
  const clients = new Map<string, DynamoDBDocumentClient>();

  before(async function () {
    h = await sharedHarness();
    [a, b] = h.regions;
    for (const region of h.regions) {
      clients.set(region, DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint: h.endpoints[region], credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })));
    }
  });

  after(function () {
    for (const client of clients.values()) client.destroy();
  });

  const key = () => ({ PK: `TEST#${randomBytes(6).toString('hex')}`, SK: 'x' });
  const put = (region: string, item: Record<string, unknown>) => clients.get(region)!.send(new PutCommand({ TableName: h.tableName, Item: item }));
  const get = async (region: string, k: Record<string, unknown>) =>
    (await clients.get(region)!.send(new GetCommand({ TableName: h.tableName, Key: k, ConsistentRead: true }))).Item;

  it('copies a write to the other instance after the delay, and not back again', async function () {
    h.replicator.setDelay(a, b, 800);
    const k = key();
    const appliedBefore = h.replicator.applied;
    await put(a, { ...k, v: 1 });
    await sleep(300);
    expect(await get(b, k), 'not there before the delay').to.equal(undefined);
    await h.replicator.settled();
    expect(await get(b, k), 'there after it').to.deep.equal({ ...k, v: 1 });
    await sleep(300);
    await h.replicator.settled();
    expect(h.replicator.applied - appliedBefore, 'one apply: its echo in the target stream is not replicated back').to.equal(1);
  });

  it('keeps the later of two writes to one item in both instances, whichever arrives last', async function () {
    const k = key();
    await put(a, { ...k, v: 'older' });
    await sleep(120); // replication takes 200 ± 100 ms: the two writes cross
    await put(b, { ...k, v: 'newer' });
    await h.replicator.settled();
    expect(await get(a, k), 'us-east-1 converges on the later write').to.deep.equal({ ...k, v: 'newer' });
    expect(await get(b, k), 'eu-west-1 keeps the later write').to.deep.equal({ ...k, v: 'newer' });
  });

  it('replicates a delete, and a put after it', async function () {
    const k = key();
    await put(a, { ...k, v: 1 });
    await h.replicator.settled();
    await clients.get(b)!.send(new DeleteCommand({ TableName: h.tableName, Key: k }));
    await h.replicator.settled();
    expect(await get(a, k), 'the delete reached us-east-1').to.equal(undefined);
    await put(b, { ...k, v: 2 });
    await h.replicator.settled();
    expect(await get(a, k), 'and the put after it').to.deep.equal({ ...k, v: 2 });
  });

  it('holds a paused link until it resumes, in order', async function () {
    const k = key();
    h.replicator.pause(a, b);
    await put(a, { ...k, v: 1 });
    await put(a, { ...k, v: 2 });
    await sleep(1_000);
    await h.replicator.settled();
    expect(await get(b, k), 'nothing crosses a paused link').to.equal(undefined);
    h.replicator.resume(a, b);
    await h.replicator.settled();
    expect(await get(b, k), 'the last write once resumed').to.deep.equal({ ...k, v: 2 });
  });
});
