import { DomainError } from '../DomainError.js';
import { requireUsers } from '../requireUsers.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface BlockInput {
  userId: string;
  blockedUserId: string;
}

/** Stops the blocked user's direct messages, later group deliveries and group invitations. */
export class BlockUser {
  constructor(
    private readonly users: UserRepository,
    private readonly blocks: BlockRepository,
  ) {}

  async execute(input: BlockInput): Promise<void> {
    if (input.blockedUserId === input.userId) {
      throw DomainError.validation('blocked_user_id', 'You cannot block yourself.');
    }
    await requireUsers(this.users, 'blocked_user_id', [input.blockedUserId]);
    await this.blocks.block(input.userId, input.blockedUserId);
  }
}
