export interface IdGenerator {
  /** `user-` followed by letters and digits, at least 60 random bits. */
  newUserId(): string;
  /** `group-` followed by letters and digits, at least 60 random bits. */
  newGroupId(): string;
  /**
   * `msg-` followed by letters and digits, at least 60 random bits. Ids made in one process
   * for the same `sentAt` sort in the order they were made, so sequential sends keep their order.
   */
  newMessageId(sentAt: number): string;
}
