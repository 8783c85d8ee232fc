/**
 * Passwords verified recently, so a client that polls every minute does not pay scrypt each time.
 * Keyed by user, stored hash and a keyed digest of the password: a changed stored hash or a
 * different password never hits. Process memory only, bounded in entries and time.
 */
export interface VerifiedPasswordCache {
  has(userId: string, storedHash: string, password: string, now: number): boolean;
  remember(userId: string, storedHash: string, password: string, now: number): void;
}
