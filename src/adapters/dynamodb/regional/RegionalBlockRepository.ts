// Blocks with several regions: a block lives in the blocked user's partition and is written and
// read at the blocked user's home, where every send of theirs decides (D3): a block made through
// one region holds at once for a send through another.
import type { BlockRepository } from '../../../ports/BlockRepository.js';
import { DynamoDbBlockRepository } from '../DynamoDbBlockRepository.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalBlockRepository implements BlockRepository {
  private readonly repos = new PerTable((table) => new DynamoDbBlockRepository(table));

  constructor(private readonly router: HomeRouter) {}

  block(blockerId: string, blockedId: string): Promise<void> {
    return this.router.atHome(this.router.homes.ofId(blockedId), 'block_user', 'fallback', (table) => this.repos.of(table).block(blockerId, blockedId));
  }

  unblock(blockerId: string, blockedId: string): Promise<void> {
    return this.router.atHome(this.router.homes.ofId(blockedId), 'unblock_user', 'fallback', (table) =>
      this.repos.of(table).unblock(blockerId, blockedId),
    );
  }

  blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>> {
    return this.router.atHome(this.router.homes.ofId(userId), 'blockers', 'fallback', (table) =>
      this.repos.of(table).blockersAmong(userId, candidateIds),
    );
  }
}
