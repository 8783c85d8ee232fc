// What DAX could cache of this design's reads (scripts/readConsistency.ts): every DynamoDB read
// of the storage adapter is strongly consistent, which DAX passes through uncached. A read added
// without ConsistentRead would make SCALING.md's DAX verdict stale: this fails first.
import { expect } from 'chai';
import { adapterReadSites, readSites } from '../../scripts/readConsistency.js';

describe('DynamoDB reads and DAX (scripts/readConsistency.ts)', () => {
  it('finds every read of the adapter strongly consistent but the push read of connections: DAX would cache only that hint', () => {
    const sites = adapterReadSites();

    expect(sites.length, 'GetItem, Query and BatchGetItem sites of src/adapters/dynamodb').to.be.at.least(10);
    // Issue 15: a push reads the user's connections eventually consistent, at half the price (a
    // push is a hint, SPEC 8); a cache of it would only push to connections closed meanwhile.
    expect(sites.filter((s) => !s.consistent).map((s) => `${s.file} ${s.read}`)).to.deep.equal([
      'src/adapters/dynamodb/DynamoDbConnectionRepository.ts GetCommand',
    ]);
    expect(new Set(sites.map((s) => s.read))).to.deep.equal(new Set(['query', 'QueryCommand', 'GetCommand', 'BatchGetCommand']));
  });

  it('reports a read without ConsistentRead, and counts a query() call, not the QueryCommand it wraps', () => {
    const text = [
      "const a = await this.table.send(new GetCommand({ TableName: this.table.name, Key: key }));",
      "const b = await this.table.query({ KeyConditionExpression: 'PK = :pk', ConsistentRead: true });",
      "const c = await this.table.query({ KeyConditionExpression: 'PK = :pk' });",
      "new QueryCommand({ ...input, TableName: this.name });",
      "new BatchGetCommand({ RequestItems: { [this.name]: { Keys: keys, ConsistentRead: false } } });",
    ].join('\n');

    expect(readSites([{ file: 'x.ts', text }])).to.deep.equal([
      { file: 'x.ts', line: 1, read: 'GetCommand', consistent: false },
      { file: 'x.ts', line: 2, read: 'query', consistent: true },
      { file: 'x.ts', line: 3, read: 'query', consistent: false },
      { file: 'x.ts', line: 5, read: 'BatchGetCommand', consistent: false },
    ]);
  });
});
