// What authenticating one poll costs in process, at the production scrypt cost (N=2^14, r=8, p=5),
// each way a client can authenticate:
//   body credentials with every poll verified by scrypt (the verified-password cache off),
//   body credentials with the verified-password cache,
//   a bearer token from login, verified by jose (each token's first use),
//   a bearer token remembered from an earlier verification.
// Reports scrypt runs and microseconds per poll (the first poll of each way is not counted).
import { InMemoryPasswordAttemptLimiter } from '../src/adapters/memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryRateLimiter } from '../src/adapters/memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../src/adapters/memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../src/adapters/memory/InMemoryUserRepository.js';
import { InProcessVerifiedPasswordCache } from '../src/adapters/runtime/InProcessVerifiedPasswordCache.js';
import { JoseTokenSigner } from '../src/adapters/runtime/JoseTokenSigner.js';
import { OWASP_SCRYPT_COST, ScryptPasswordHasher } from '../src/adapters/runtime/ScryptPasswordHasher.js';
import { DEFAULT_ABUSE_LIMITS } from '../src/core/AbuseLimits.js';
import { AuthenticateToken } from '../src/core/use-cases/AuthenticateToken.js';
import { AuthenticateUser } from '../src/core/use-cases/AuthenticateUser.js';
import type { Clock } from '../src/ports/Clock.js';
import type { PasswordHasher } from '../src/ports/PasswordHasher.js';
import type { VerifiedPasswordCache } from '../src/ports/VerifiedPasswordCache.js';

export interface AuthCostRow {
  readonly label: string;
  readonly scryptPerPoll: number;
  readonly microsPerPoll: number;
}

const PASSWORD = 'a poller password';
const USER = 'user-bench';
const CLIENT = '127.0.0.1';
/** Polls timed per way; scrypt takes about a second, so that way gets a few. */
const POLLS = 2_000;
const SCRYPT_POLLS = 3;

export async function measurePollAuthCost(): Promise<AuthCostRow[]> {
  let scryptRuns = 0;
  const scrypt = new ScryptPasswordHasher(OWASP_SCRYPT_COST);
  const hasher: PasswordHasher = {
    hash: (password) => (scryptRuns++, scrypt.hash(password)),
    verify: (password, hash) => (scryptRuns++, scrypt.verify(password, hash)),
  };
  let now = Date.UTC(2026, 0, 1);
  const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const store = new InMemoryStore();
  const users = new InMemoryUserRepository(store);
  await users.insert({ id: USER, passwordHash: await scrypt.hash(PASSWORD), createdAt: 0 });
  const authenticate = (cache: VerifiedPasswordCache) =>
    new AuthenticateUser(users, hasher, new InMemoryPasswordAttemptLimiter(store.attempts), cache, new InMemoryRateLimiter(), DEFAULT_ABUSE_LIMITS, clock);
  const noCache: VerifiedPasswordCache = { has: () => false, remember: () => undefined };
  const tokens = new JoseTokenSigner(Buffer.from('a bench secret of at least 32 bytes!'), 3600);
  const bearer = new AuthenticateToken(tokens, clock);
  // Tokens issued a second apart are different strings, so each is verified by jose once.
  const fresh = await Promise.all(Array.from({ length: POLLS + 1 }, (_, i) => tokens.issue(USER, now - i * 1000)));
  const [remembered] = fresh;

  async function measure(label: string, polls: number, poll: (i: number) => Promise<unknown>): Promise<AuthCostRow> {
    await poll(polls);
    scryptRuns = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < polls; i++) await poll(i);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    return { label, scryptPerPoll: scryptRuns / polls, microsPerPoll: micros / polls };
  }

  const credentials = { userId: USER, password: PASSWORD, clientAddress: CLIENT };
  const uncached = authenticate(noCache);
  const cached = authenticate(new InProcessVerifiedPasswordCache());
  return [
    await measure('password, scrypt every poll (no cache)', SCRYPT_POLLS, () => uncached.execute(credentials)),
    await measure('password, verified-password cache', POLLS, () => cached.execute(credentials)),
    await measure("token, each token's first use (jose)", POLLS, (i) => bearer.execute(fresh[i]!.token)),
    await measure('token, remembered', POLLS, () => bearer.execute(remembered!.token)),
  ];
}
