// Who may manage a group's members, and how a change that changes nothing is answered.
// The secure profile is the product; the seed profile reproduces the original system.

export interface GroupPolicy {
  /** Anyone may create groups and add or remove members, without credentials or a role. */
  readonly openManagement: boolean;
  /** Adding a member already in, or removing one not in, fails instead of being a no-op. */
  readonly strictChanges: boolean;
}

export const SECURE_GROUP_POLICY: GroupPolicy = Object.freeze({ openManagement: false, strictChanges: false });
export const SEED_GROUP_POLICY: GroupPolicy = Object.freeze({ openManagement: true, strictChanges: true });
