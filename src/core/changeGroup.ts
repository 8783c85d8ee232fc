import type { NotBlockedGuard } from './Blocking.js';
import { DomainError } from './DomainError.js';
import { blockedFromGroup, groupNotFound, type Group, type MembershipChange } from './Group.js';
import type { GroupPolicy } from './GroupPolicy.js';
import type { Clock } from '../ports/Clock.js';
import type { GroupRepository, GroupWriteOutcome } from '../ports/GroupRepository.js';

/**
 * Concurrent changes to one group retry their compare-and-set this many times, each after a
 * pause drawn at random up to a ceiling that doubles (full jitter, AWS's advice for contention):
 * the losers spread out instead of reading the group again all at once. Past the last attempt,
 * 503 with Retry-After; the pauses add up to under 2 s, well inside a request’s budget.
 */
export const GROUP_CHANGE_ATTEMPTS = 8;
const FIRST_PAUSE_MS = 25;
const LONGEST_PAUSE_MS = 500;

/**
 * Applies a membership rule to the current state of a group and writes the one change it makes,
 * only from the version the rule saw; when another change got there first, it reads again and
 * re-applies the rule, so no check can go stale before its write. Answers whether anything
 * changed; under a strict policy a rule that changes nothing fails instead.
 */
export async function changeGroup(
  groups: GroupRepository,
  clock: Clock,
  groupId: string,
  rule: (group: Group) => MembershipChange,
  policy: GroupPolicy,
  guard?: NotBlockedGuard,
): Promise<boolean> {
  for (let attempt = 0; attempt < GROUP_CHANGE_ATTEMPTS; attempt++) {
    if (attempt > 0) await clock.sleep(Math.random() * Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
    const current = await groups.findById(groupId);
    if (!current) throw groupNotFound(groupId);
    const result = rule(current);
    if (!result.changed) {
      if (policy.strictChanges) {
        throw new DomainError('invalid_action', 'That change would leave the group as it is.');
      }
      return false;
    }
    const outcome = await write(groups, current, result.change, guard);
    if (outcome.status === 'written') return true;
    if (outcome.status === 'blocked') throw blockedFromGroup(outcome.blockedBy);
  }
  throw new DomainError('unavailable', `Group ${groupId} is changing too fast; try again shortly.`, undefined, 1);
}

function write(
  groups: GroupRepository,
  current: Group,
  change: Extract<MembershipChange, { changed: true }>['change'],
  guard: NotBlockedGuard | undefined,
): Promise<GroupWriteOutcome> {
  switch (change.kind) {
    case 'add':
      return groups.addMember(current.id, current.version, change.member, guard);
    case 'remove':
      return groups.removeMember(current.id, current.version, change.userId, change.promote);
    case 'delete':
      return groups.delete(current.id, current.version, change.userId);
  }
}
