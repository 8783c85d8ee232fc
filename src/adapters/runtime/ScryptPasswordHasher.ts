// scrypt through scrypt-js's async API, which yields to the event loop while it works.
// Hashes are PHC strings, `$scrypt$ln=14,r=8,p=5$<salt>$<key>`, so the cost can be raised later
// while old hashes still verify.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import scryptJs from 'scrypt-js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';

export interface ScryptCost {
  /** log2 of N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet row N=2^14, r=8, p=5 (16 MiB), Django's default. */
export const OWASP_SCRYPT_COST: ScryptCost = Object.freeze({ logN: 14, r: 8, p: 5 });
/** For tests only: about 50 times cheaper. */
export const TEST_SCRYPT_COST: ScryptCost = Object.freeze({ logN: 10, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify against parameters that would tie up the process (a corrupt or hostile hash). */
const LIMITS = { logN: 20, r: 32, p: 16 };
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: ScryptCost = OWASP_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.cost, KEY_BYTES);
    const { logN, r, p } = this.cost;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, encodedHash: string): Promise<boolean> {
    const match = PHC.exec(encodedHash);
    if (!match) return false;
    const [, logN, r, p, salt, key] = match as unknown as [string, string, string, string, string, string];
    const cost = { logN: Number(logN), r: Number(r), p: Number(p) };
    if (cost.logN > LIMITS.logN || cost.r > LIMITS.r || cost.p > LIMITS.p || cost.logN < 1 || cost.r < 1 || cost.p < 1) {
      return false;
    }
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), cost, expected.length);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

async function derive(password: string, salt: Uint8Array, cost: ScryptCost, length: number): Promise<Buffer> {
  const secret = Buffer.from(password.normalize('NFKC'), 'utf8');
  const key = await scryptJs.scrypt(secret, salt, 2 ** cost.logN, cost.r, cost.p, length);
  return Buffer.from(key);
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}
