export interface IssuedToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What a token that verified says: whose it is, and until when it speaks for them. */
export interface VerifiedToken {
  readonly userId: string;
  /** Epoch milliseconds: the token's `exp`. */
  readonly expiresAt: number;
}

/** Bearer tokens from `login`: signed and expiring, verified without any password hashing. */
export interface TokenSigner {
  issue(userId: string, now: number): Promise<IssuedToken>;
  /** The user the token was issued to and its expiry, or undefined when it is tampered with, expired or malformed. */
  verify(token: string, now: number): Promise<VerifiedToken | undefined>;
}
