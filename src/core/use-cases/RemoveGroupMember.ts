import { changeGroup } from '../changeGroup.js';
import type { GroupPolicy } from '../GroupPolicy.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { GroupMemberInput } from './AddGroupMember.js';

export class RemoveGroupMember {
  constructor(
    private readonly groups: GroupRepository,
    private readonly clock: Clock,
    private readonly policy: GroupPolicy,
  ) {}

  /** Answers false when the user was not a member (nothing changed). */
  async execute(input: GroupMemberInput): Promise<{ changed: boolean }> {
    const changed = await changeGroup(
      this.groups,
      this.clock,
      input.groupId,
      (group) => group.remove(input.requesterId, input.userId, this.policy),
      this.policy,
    );
    return { changed };
  }
}
