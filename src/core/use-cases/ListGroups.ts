import type { GroupMembership } from '../Group.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';

export class ListGroups {
  constructor(private readonly groups: GroupRepository) {}

  execute(input: { userId: string }): Promise<GroupMembership[]> {
    return this.groups.listForUser(input.userId);
  }
}
