export interface IssuedToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Bearer tokens from `login`: signed and expiring, verified without any password hashing. */
export interface TokenSigner {
  issue(userId: string, now: number): Promise<IssuedToken>;
  /** The user the token was issued to, or undefined when it is tampered with, expired or malformed. */
  verify(token: string, now: number): Promise<string | undefined>;
}
