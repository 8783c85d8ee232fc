// D9's breaker is per home region: it counts the failures of that region's own calls. A send homed
// in one region may also ask another (a receiver missing from the sender's home replica is
// confirmed at the receiver's home, D10); that other region not answering must not open the
// sender's home's breaker, or every call homed there would fall back to the local replica though
// the home answers. On DynamoDB Local: one table for the local region, one for the sender's home.
import { expect } from 'chai';
import { HomeRegions } from '../../src/adapters/dynamodb/regional/HomeRegions.js';
import { HomeRouter } from '../../src/adapters/dynamodb/regional/HomeRouter.js';
import { RegionalMessageRepository } from '../../src/adapters/dynamodb/regional/RegionalMessageRepository.js';
import { unavailable, type DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import type { UserRepository } from '../../src/ports/UserRepository.js';
import { freshTable } from '../support/dynamoDbLocal.js';

describe('RegionalMessageRepository and the home breaker', function () {
  this.timeout(60_000);

  it("does not count the receiver's home not answering against the sender's home", async () => {
    const [local, senderHome] = [await freshTable(), await freshTable()];
    const tables: Record<string, DynamoDbTable> = { 'us-east-1': local.table, 'eu-west-1': senderHome.table };
    const fallbacks: string[] = [];
    const router = new HomeRouter(
      new HomeRegions(['us-east-1', 'eu-west-1', 'ap-southeast-2'], 'us-east-1'),
      (region) => tables[region]!,
      Date.now,
      (home) => fallbacks.push(home),
    );
    // The receiver's home (ap-southeast-2) does not answer: its confirmation is 503.
    const users = { findMissing: async () => Promise.reject(unavailable()) } as unknown as UserRepository;
    const messages = new RegionalMessageRepository(router, new SystemClock(), users);
    const senderId = new UlidIdGenerator('euwest1').newUserId();
    const receiverId = new UlidIdGenerator('apsoutheast2').newUserId();
    const ids = new UlidIdGenerator();

    for (let i = 0; i < 3; i++) {
      const sentAt = Date.now();
      const message = { id: ids.newMessageId(sentAt), senderId, text: `hello ${i}`, sentAt };
      const refused = await messages.deliverDirect(message, receiverId).catch((error: unknown) => error);
      expect(refused, 'the confirmation not answered: 503').to.include({ code: 'unavailable' });
    }

    const used = await router.atHome('eu-west-1', 'probe', 'fallback', async (table) => table);
    expect(used, "the sender's home, which answered every call, is still used").to.equal(senderHome.table);
    expect(fallbacks).to.deep.equal([]);
  });
});
