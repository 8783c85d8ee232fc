export interface User {
  readonly id: string;
  /** Self-describing scrypt hash: cost parameters, salt and key (see PasswordHasher). */
  readonly passwordHash: string;
  readonly createdAt: number;
}
