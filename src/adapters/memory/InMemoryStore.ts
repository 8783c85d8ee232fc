// The state behind the in-memory repositories. Every repository method does its checks and
// writes synchronously, without an await in between, so each is atomic like one DynamoDB
// conditional write or transaction.
import type { Group } from '../../core/Group.js';
import type { User } from '../../core/User.js';
import { SortedInbox } from './SortedInbox.js';

export class InMemoryStore {
  readonly users = new Map<string, User>();
  /** blocker id -> ids they have blocked */
  readonly blocks = new Map<string, Set<string>>();
  readonly groups = new Map<string, Group>();
  /** user id -> ids of the groups they belong to */
  readonly groupsByUser = new Map<string, Set<string>>();
  readonly inboxes = new Map<string, SortedInbox>();

  blockersAmong(userId: string, candidateIds: readonly string[]): string[] {
    return candidateIds.filter((id) => this.blocks.get(id)?.has(userId) ?? false);
  }

  inbox(userId: string): SortedInbox {
    let inbox = this.inboxes.get(userId);
    if (!inbox) {
      inbox = new SortedInbox();
      this.inboxes.set(userId, inbox);
    }
    return inbox;
  }
}
