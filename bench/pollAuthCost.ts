// What authenticating one poll costs, at the production scrypt cost (N=2^14, r=8, p=5):
//   before: body credentials, every poll verified with scrypt (the cache switched off);
//   after:  body credentials with the verified-password cache, and a bearer token from login.
// Reports scrypt runs and time per poll. Run with `npm run bench`.
import { InMemoryPasswordAttemptLimiter } from '../src/adapters/memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryRateLimiter } from '../src/adapters/memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../src/adapters/memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../src/adapters/memory/InMemoryUserRepository.js';
import { InProcessVerifiedPasswordCache } from '../src/adapters/runtime/InProcessVerifiedPasswordCache.js';
import { JoseTokenSigner } from '../src/adapters/runtime/JoseTokenSigner.js';
import { OWASP_SCRYPT_COST, ScryptPasswordHasher } from '../src/adapters/runtime/ScryptPasswordHasher.js';
import { SystemClock } from '../src/adapters/runtime/SystemClock.js';
import { AuthenticateToken } from '../src/core/use-cases/AuthenticateToken.js';
import { DEFAULT_ABUSE_LIMITS } from '../src/core/AbuseLimits.js';
import { AuthenticateUser } from '../src/core/use-cases/AuthenticateUser.js';
import { Login } from '../src/core/use-cases/Login.js';
import type { PasswordHasher } from '../src/ports/PasswordHasher.js';
import type { VerifiedPasswordCache } from '../src/ports/VerifiedPasswordCache.js';

const PASSWORD = 'a poller password';
let scryptRuns = 0;
const scrypt = new ScryptPasswordHasher(OWASP_SCRYPT_COST);
const hasher: PasswordHasher = {
  hash: (password) => (scryptRuns++, scrypt.hash(password)),
  verify: (password, hash) => (scryptRuns++, scrypt.verify(password, hash)),
};
const noCache: VerifiedPasswordCache = { has: () => false, remember: () => undefined };

const clock = new SystemClock();
const store = new InMemoryStore();
const users = new InMemoryUserRepository(store);
await users.insert({ id: 'user-bench', passwordHash: await scrypt.hash(PASSWORD), createdAt: 0 });
const tokens = new JoseTokenSigner(Buffer.from('a bench secret of at least 32 bytes!'), 3600);
const authenticate = (cache: VerifiedPasswordCache) =>
  new AuthenticateUser(
    users,
    hasher,
    new InMemoryPasswordAttemptLimiter(store.attempts),
    cache,
    new InMemoryRateLimiter(),
    DEFAULT_ABUSE_LIMITS,
    clock,
  );

async function measure(label: string, polls: number, poll: () => Promise<unknown>): Promise<void> {
  await poll(); // the first poll of a session pays the scrypt either way
  scryptRuns = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < polls; i++) await poll();
  const micros = Number(process.hrtime.bigint() - started) / 1000 / polls;
  const perPoll = (scryptRuns / polls).toFixed(2);
  console.log(`${label.padEnd(44)} ${perPoll.padStart(6)} scrypt/poll ${micros.toFixed(0).padStart(9)} µs/poll`);
}

console.log('Authenticating a poll (after the first), production scrypt cost');
const before = authenticate(noCache);
await measure('before: password, scrypt every time', 5, () => before.execute({ userId: 'user-bench', password: PASSWORD, clientAddress: '127.0.0.1' }));
const cached = authenticate(new InProcessVerifiedPasswordCache());
await measure('after: password, verified-password cache', 2000, () =>
  cached.execute({ userId: 'user-bench', password: PASSWORD, clientAddress: '127.0.0.1' }),
);
const { token } = await new Login(cached, tokens, clock).execute({ userId: 'user-bench', password: PASSWORD, clientAddress: '127.0.0.1' });
const bearer = new AuthenticateToken(tokens, clock);
await measure('after: bearer token from login', 2000, () => bearer.execute(token));
