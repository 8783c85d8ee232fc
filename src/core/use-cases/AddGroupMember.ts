import { changeGroup } from '../changeGroup.js';
import type { GroupPolicy } from '../GroupPolicy.js';
import { requireUsers } from '../requireUsers.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface GroupMemberInput {
  /** Absent only where the group policy lets anyone manage members (the seed profile). */
  requesterId: string | undefined;
  groupId: string;
  userId: string;
}

export class AddGroupMember {
  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly clock: Clock,
    private readonly policy: GroupPolicy,
  ) {}

  /** Answers false when the user was already a member (nothing changed). */
  async execute(input: GroupMemberInput): Promise<{ changed: boolean }> {
    const { requesterId } = input;
    await requireUsers(this.users, 'user_id', [input.userId]);
    const changed = await changeGroup(
      this.groups,
      this.clock,
      input.groupId,
      (group) => group.add(requesterId, input.userId, this.clock.now(), this.policy),
      this.policy,
      // A user who has blocked the requester cannot be added by them.
      requesterId === undefined ? undefined : { userId: requesterId, blockerIds: [input.userId] },
    );
    return { changed };
  }
}
