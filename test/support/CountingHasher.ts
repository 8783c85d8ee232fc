import type { PasswordHasher } from '../../src/ports/PasswordHasher.js';

/** Wraps a hasher and counts the work done, to check when hashing happens and when it does not. */
export class CountingHasher implements PasswordHasher {
  hashes = 0;
  verifications = 0;

  constructor(private readonly inner: PasswordHasher) {}

  hash(password: string): Promise<string> {
    this.hashes++;
    return this.inner.hash(password);
  }

  verify(password: string, encodedHash: string): Promise<boolean> {
    this.verifications++;
    return this.inner.verify(password, encodedHash);
  }
}
