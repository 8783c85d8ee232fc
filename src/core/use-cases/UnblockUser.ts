import { requireUsers } from '../requireUsers.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { BlockInput } from './BlockUser.js';

/** Restores delivery of future messages; messages not delivered meanwhile stay undelivered. */
export class UnblockUser {
  constructor(
    private readonly users: UserRepository,
    private readonly blocks: BlockRepository,
  ) {}

  async execute(input: BlockInput): Promise<void> {
    await requireUsers(this.users, 'blocked_user_id', [input.blockedUserId]);
    await this.blocks.unblock(input.userId, input.blockedUserId);
  }
}
