import { changeGroup } from '../changeGroup.js';
import { requireUsers } from '../requireUsers.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface GroupMemberInput {
  requesterId: string;
  groupId: string;
  userId: string;
}

export class AddGroupMember {
  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly clock: Clock,
  ) {}

  /** Answers false when the user was already a member (nothing changed). */
  async execute(input: GroupMemberInput): Promise<{ changed: boolean }> {
    await requireUsers(this.users, 'user_id', [input.userId]);
    const changed = await changeGroup(
      this.groups,
      input.groupId,
      (group) => group.add(input.requesterId, input.userId, this.clock.now()),
      // A user who has blocked the requester cannot be added by them.
      { userId: input.requesterId, blockerIds: [input.userId] },
    );
    return { changed };
  }
}
