import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryBlockRepository implements BlockRepository {
  constructor(private readonly store: InMemoryStore) {}

  async block(blockerId: string, blockedId: string): Promise<void> {
    let blocked = this.store.blocks.get(blockerId);
    if (!blocked) {
      blocked = new Set();
      this.store.blocks.set(blockerId, blocked);
    }
    blocked.add(blockedId);
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    this.store.blocks.get(blockerId)?.delete(blockedId);
  }

  async blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>> {
    return new Set(this.store.blockersAmong(userId, candidateIds));
  }
}
