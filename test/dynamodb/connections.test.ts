// The DynamoDB connection repository when storage fails part-way through a connect: a connect
// that fails leaves nothing behind, and one that is recorded is not failed by its clean-up.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { DynamoDbConnectionRepository } from '../../src/adapters/dynamodb/DynamoDbConnectionRepository.js';
import type { DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { freshTable } from '../support/dynamoDbLocal.js';

// Real time: DynamoDB Local deletes items whose TTL has passed, as DynamoDB does.
const NOW = Date.now();
const open = (userId: string, id: string, connectedAt: number) => ({ id, userId, connectedAt, expiresAt: connectedAt + 7_200_000 });

/** The item's sort key, whether the document client has marshalled the input yet or not. */
const sortKeyOf = (input: Record<string, unknown>) => {
  const sk = (input.Item as { SK?: unknown } | undefined)?.SK;
  return typeof sk === 'object' && sk !== null ? (sk as { S?: string }).S : sk;
};

/** Makes the table's client fail the commands `fails` picks (low-level names: PutItem, DeleteItem), as a reset connection would. */
function failing(table: DynamoDbTable, fails: (command: string, input: Record<string, unknown>) => boolean): { on: boolean } {
  const switchOn = { on: false };
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (switchOn.on && fails(operation, args.input as Record<string, unknown>)) {
        throw Object.assign(new Error('socket hang up'), { name: 'ECONNRESET', code: 'ECONNRESET' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failing' },
  );
  return switchOn;
}

async function items(table: DynamoDbTable, userId: string): Promise<{ byId: string[]; recorded: string[] }> {
  const { Items: all = [] } = await table.client.send(new ScanCommand({ TableName: table.name }));
  return {
    byId: all.filter((item) => item.userId === userId && String(item.PK).startsWith('CONN#')).map((item) => String(item.PK).slice(5)).sort(),
    recorded: Object.keys(all.find((item) => item.PK === `USER#${userId}` && item.SK === 'CONNS')?.conns ?? {}).sort(),
  };
}

describe('DynamoDB connections when storage fails part-way', function () {
  this.timeout(60_000);

  it('a connect whose write of the user’s connections fails records nothing and leaves no item of its own', async () => {
    const { table } = await freshTable();
    const repository = new DynamoDbConnectionRepository(table);
    await repository.add(open('user-a', 'kept', NOW), 10);
    const failure = failing(table, (operation, input) => operation === 'PutItem' && sortKeyOf(input) === 'CONNS');
    failure.on = true;

    const outcome = await repository.add(open('user-a', 'failed', NOW + 1), 10).then(
      () => 'recorded',
      (error: { code?: string }) => error.code,
    );

    expect(outcome).to.equal('unavailable');
    expect(await items(table, 'user-a')).to.deep.equal({ byId: ['kept'], recorded: ['kept'] });
  });

  it('a connect that is recorded answers what it replaced even when deleting their items fails', async () => {
    const { table } = await freshTable();
    const repository = new DynamoDbConnectionRepository(table);
    for (let i = 0; i < 10; i++) await repository.add(open('user-a', `c-${i}`, NOW + i), 10);
    const failure = failing(table, (operation) => operation === 'DeleteItem');
    failure.on = true;

    const dropped = await repository.add(open('user-a', 'newest', NOW + 100), 10);

    expect(dropped.map((c) => c.id), 'the caller can close the one replaced').to.deep.equal(['c-0']);
    const { recorded } = await items(table, 'user-a');
    expect(recorded).to.have.length(10).and.include('newest');
  });
});
