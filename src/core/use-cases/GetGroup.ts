import { groupNotFound, type Group } from '../Group.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';

/** Group contents are for members only. */
export class GetGroup {
  constructor(private readonly groups: GroupRepository) {}

  async execute(input: { userId: string; groupId: string }): Promise<Group> {
    const group = await this.groups.findById(input.groupId);
    if (!group) throw groupNotFound(input.groupId);
    group.requireMember(input.userId);
    return group;
  }
}
