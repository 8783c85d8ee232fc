import { DomainError } from '../DomainError.js';
import { Group, blockedFromGroup } from '../Group.js';
import type { GroupPolicy } from '../GroupPolicy.js';
import { Limits, charCount } from '../Limits.js';
import { requireUsers } from '../requireUsers.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface CreateGroupInput {
  /** Absent only where the group policy lets anyone manage groups (the seed profile). */
  creatorId: string | undefined;
  memberIds: readonly string[];
  name?: string | undefined;
}

const MAX_ID_ATTEMPTS = 3;

export class CreateGroup {
  constructor(
    private readonly users: UserRepository,
    private readonly blocks: BlockRepository,
    private readonly groups: GroupRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly policy: GroupPolicy,
  ) {}

  async execute(input: CreateGroupInput): Promise<{ groupId: string }> {
    const name = input.name ?? null;
    if (name !== null && charCount(name) > Limits.groupNameMaxChars) {
      throw DomainError.validation('name', `The name must be at most ${Limits.groupNameMaxChars} characters.`);
    }
    // Checked before anything is looked up, so an oversized list costs nothing.
    const { creatorId } = input;
    if (creatorId === undefined && !this.policy.openManagement) {
      throw new DomainError('unauthorized', 'Creating a group needs credentials.');
    }
    const ids = Group.memberIds(creatorId, input.memberIds);
    const others = creatorId === undefined ? ids : ids.slice(1);
    await requireUsers(this.users, 'members', others);

    // Nobody may be put into a group by someone they have blocked. Checked before the write, not
    // in the same step (a group of 1,024 is too big for one): a block landing while the group is
    // created counts as made just after, as it does for a group message.
    if (creatorId !== undefined) {
      const blockers = await this.blocks.blockersAmong(creatorId, others);
      if (blockers.size > 0) throw blockedFromGroup(others.filter((id) => blockers.has(id)));
    }
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const group = Group.create(this.ids.newGroupId(), name, creatorId, others, this.clock.now());
      const outcome = await this.groups.create(group);
      if (outcome.status === 'written') return { groupId: group.id };
    }
    throw new Error('Could not draw an unused group id');
  }
}

