import { InMemoryBlockRepository } from '../../src/adapters/memory/InMemoryBlockRepository.js';
import { InMemoryConnectionRepository } from '../../src/adapters/memory/InMemoryConnectionRepository.js';
import { InMemoryGroupRepository } from '../../src/adapters/memory/InMemoryGroupRepository.js';
import { InMemoryMessageRepository } from '../../src/adapters/memory/InMemoryMessageRepository.js';
import { InMemoryPasswordAttemptLimiter } from '../../src/adapters/memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryRateLimiter } from '../../src/adapters/memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../../src/adapters/memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../../src/adapters/memory/InMemoryUserRepository.js';
import { describeRepositoryContract } from './repositoryContract.js';

describeRepositoryContract('in-memory', async () => {
  const store = new InMemoryStore();
  return {
    users: new InMemoryUserRepository(store),
    blocks: new InMemoryBlockRepository(store),
    groups: new InMemoryGroupRepository(store),
    messages: new InMemoryMessageRepository(store),
    attempts: new InMemoryPasswordAttemptLimiter(store.attempts),
    rates: new InMemoryRateLimiter(),
    connections: new InMemoryConnectionRepository(),
  };
});
