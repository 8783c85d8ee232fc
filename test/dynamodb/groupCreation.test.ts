// A group too big for one transaction is created in steps (DynamoDbGroupRepository.create). When
// the steps fail part-way, nothing of it may show, nothing may stay forever, and nobody's
// list_groups may keep paying for what it left.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createDynamoDbTable } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { CREATION_EXPIRY_MS, DynamoDbGroupRepository } from '../../src/adapters/dynamodb/DynamoDbGroupRepository.js';
import type { DynamoDbTable, Item } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { keys, ttlSeconds } from '../../src/adapters/dynamodb/keys.js';
import { Group } from '../../src/core/Group.js';
import { CallRecorder } from '../support/CallRecorder.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { FakeClock } from '../support/FakeClock.js';
import { FaultProxy } from '../support/FaultProxy.js';

describe('A big group whose creation fails part-way', function () {
  this.timeout(30_000);
  let proxy: FaultProxy;
  let table: DynamoDbTable;
  let clock: FakeClock;
  let groups: DynamoDbGroupRepository;
  let number = 0;

  beforeEach(async () => {
    const { settings } = await freshTable();
    proxy = await FaultProxy.start(settings.endpoint!);
    table = createDynamoDbTable({ ...settings, endpoint: proxy.endpoint });
    clock = new FakeClock(Date.now());
    groups = new DynamoDbGroupRepository(table, clock);
  });
  afterEach(() => proxy.close());

  /** 60 members: 121 items, written in 5 batches behind a `creating` META. */
  const bigGroup = () => {
    const members = Array.from({ length: 59 }, (_, i) => `user-m${number}x${i}`);
    return Group.create(`group-big${number++}`, 'big', `user-creator${number}`, members, clock.now());
  };
  const itemAt = async (key: { PK: string; SK: string }) =>
    (await table.send<{ Item?: Item }>(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }))).Item;
  const failure = (work: Promise<unknown>) => work.then(() => undefined, (error: unknown) => error);

  it('is rolled back: its META and every item its batches wrote are deleted again', async () => {
    const group = bigGroup();
    // The third of five batches fails; the rollback's own batches go through.
    proxy.inject({ operation: 'BatchWriteItem', skip: 2, times: 1, fault: { kind: 'error' } });

    expect(await failure(groups.create(group))).to.deep.include({ code: 'unavailable' });

    expect(await itemAt(keys.group(group.id)), 'no META').to.equal(undefined);
    expect(await itemAt(keys.membership(group.members[0]!.userId, group.id)), 'no membership').to.equal(undefined);
    expect(await itemAt(keys.member(group.id, group.members[0]!.userId)), 'no member item').to.equal(undefined);
  });

  it('when the rollback fails too: expires, is never shown, and the first list_groups after removes what it left', async () => {
    const group = bigGroup();
    const first = group.members[0]!.userId;
    proxy.inject({ operation: 'BatchWriteItem', skip: 2, fault: { kind: 'error' } }); // from the third batch on, rollback included

    await failure(groups.create(group));
    proxy.clear();
    const meta = await itemAt(keys.group(group.id));
    const whileCreating = await groups.listForUser(first);
    clock.advance(CREATION_EXPIRY_MS + 1);
    const recorder = new CallRecorder(table);
    const afterExpiry = await recorder.usage(() => groups.listForUser(first));
    const later = await recorder.usage(() => groups.listForUser(first));

    expect(meta, 'the META expires by TTL').to.deep.include({ creating: true, ttl: ttlSeconds(group.createdAt + CREATION_EXPIRY_MS) });
    expect(whileCreating, 'never shown').to.deep.equal([]);
    expect(afterExpiry.calls, 'the failed creation is found, and what it left in this partition deleted').to.deep.equal(['Query', 'BatchGetItem', 'BatchWriteItem']);
    expect(await itemAt(keys.membership(first, group.id))).to.equal(undefined);
    expect(await itemAt(keys.member(group.id, first))).to.equal(undefined);
    expect(later.calls, 'and never read again').to.deep.equal(['Query']);
  });

  it('once finished, keeps no expiry', async () => {
    const group = bigGroup();

    await groups.create(group);

    const meta = await itemAt(keys.group(group.id));
    expect(meta).to.not.have.property('ttl');
    expect(meta).to.not.have.property('creating');
    expect(await groups.listForUser(group.members.at(-1)!.userId)).to.deep.equal([{ groupId: group.id, name: 'big', role: 'member' }]);
  });
});
