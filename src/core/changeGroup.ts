import { DomainError } from './DomainError.js';
import { blockedFromGroup, groupNotFound, type Group, type MembershipChange } from './Group.js';
import type { GroupPolicy } from './GroupPolicy.js';
import type { NotBlockedGuard } from '../ports/BlockRepository.js';
import type { GroupRepository } from '../ports/GroupRepository.js';

/** Concurrent changes to one group retry their compare-and-set this many times. */
const MAX_ATTEMPTS = 50;

/**
 * Applies a membership change to the current state of a group with compare-and-set, retried when
 * another change got there first, so no check can go stale before its write. Answers whether
 * anything changed; under a strict policy a change that changes nothing fails instead.
 */
export async function changeGroup(
  groups: GroupRepository,
  groupId: string,
  change: (group: Group) => MembershipChange,
  policy: GroupPolicy,
  guard?: NotBlockedGuard,
): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await groups.findById(groupId);
    if (!current) throw groupNotFound(groupId);
    const result = change(current);
    if (!result.changed) {
      if (policy.strictChanges) {
        throw new DomainError('invalid_action', 'That change would leave the group as it is.');
      }
      return false;
    }
    const outcome = await groups.replace(current, result.group, guard);
    if (outcome.status === 'written') return true;
    if (outcome.status === 'blocked') throw blockedFromGroup(outcome.blockedBy);
  }
  throw new DomainError('unavailable', `Group ${groupId} is changing too fast; try again.`, undefined, 1);
}
