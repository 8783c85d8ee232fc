export interface PasswordHasher {
  /** A self-describing hash (algorithm, cost parameters, salt, key) of the password. */
  hash(password: string): Promise<string>;
  /** Constant-time check of a password against a hash made by `hash`, whatever its cost parameters. */
  verify(password: string, encodedHash: string): Promise<boolean>;
}
