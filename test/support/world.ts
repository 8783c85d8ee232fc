// The use cases built by hand on the in-memory adapters, a fake clock and the cheap scrypt cost:
// what every unit test starts from. No container.
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../../src/core/AbuseLimits.js';
import { AddGroupMember } from '../../src/core/use-cases/AddGroupMember.js';
import { SECURE_GROUP_POLICY, type GroupPolicy } from '../../src/core/GroupPolicy.js';
import { AuthenticateToken } from '../../src/core/use-cases/AuthenticateToken.js';
import { AuthenticateUser } from '../../src/core/use-cases/AuthenticateUser.js';
import { BlockUser } from '../../src/core/use-cases/BlockUser.js';
import { CheckMessages } from '../../src/core/use-cases/CheckMessages.js';
import { CreateGroup } from '../../src/core/use-cases/CreateGroup.js';
import { GetGroup } from '../../src/core/use-cases/GetGroup.js';
import { ListGroups } from '../../src/core/use-cases/ListGroups.js';
import { Login } from '../../src/core/use-cases/Login.js';
import { RegisterUser } from '../../src/core/use-cases/RegisterUser.js';
import { RemoveGroupMember } from '../../src/core/use-cases/RemoveGroupMember.js';
import { SendGroupMessage } from '../../src/core/use-cases/SendGroupMessage.js';
import { SendMessage } from '../../src/core/use-cases/SendMessage.js';
import { UnblockUser } from '../../src/core/use-cases/UnblockUser.js';
import { InMemoryBlockRepository } from '../../src/adapters/memory/InMemoryBlockRepository.js';
import { InMemoryGroupRepository } from '../../src/adapters/memory/InMemoryGroupRepository.js';
import { InMemoryMessageRepository } from '../../src/adapters/memory/InMemoryMessageRepository.js';
import { InMemoryPasswordAttemptLimiter } from '../../src/adapters/memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryRateLimiter } from '../../src/adapters/memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../../src/adapters/memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../../src/adapters/memory/InMemoryUserRepository.js';
import { InProcessVerifiedPasswordCache } from '../../src/adapters/runtime/InProcessVerifiedPasswordCache.js';
import { JoseTokenSigner } from '../../src/adapters/runtime/JoseTokenSigner.js';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '../../src/adapters/runtime/ScryptPasswordHasher.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import type { IdGenerator } from '../../src/ports/IdGenerator.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { CountingHasher } from './CountingHasher.js';
import { FakeClock } from './FakeClock.js';

export const PASSWORD = 'correct horse';
/** The client address of every request in the unit tests. */
export const CLIENT = '192.0.2.1';

export interface WorldOptions {
  ids?: IdGenerator;
  /** Wraps the message repository, to observe or break it. */
  messages?: (inner: MessageRepository) => MessageRepository;
  policy?: GroupPolicy;
  /** Raised by tests that register many users; the defaults are SPEC's. */
  abuseLimits?: AbuseLimits;
}

export function buildWorld(options: WorldOptions = {}) {
  const store = new InMemoryStore();
  const clock = new FakeClock();
  const ids = options.ids ?? new UlidIdGenerator();
  const hasher = new CountingHasher(new ScryptPasswordHasher(TEST_SCRYPT_COST));
  const users = new InMemoryUserRepository(store);
  const blocks = new InMemoryBlockRepository(store);
  const groups = new InMemoryGroupRepository(store);
  const storedMessages = new InMemoryMessageRepository(store);
  const messages = options.messages ? options.messages(storedMessages) : storedMessages;
  const policy = options.policy ?? SECURE_GROUP_POLICY;
  const attempts = new InMemoryPasswordAttemptLimiter(store.attempts);
  const rates = new InMemoryRateLimiter();
  const abuseLimits = options.abuseLimits ?? DEFAULT_ABUSE_LIMITS;
  const verified = new InProcessVerifiedPasswordCache();
  const tokens = new JoseTokenSigner(Buffer.from('a test secret that is long enough!!'), 3600);
  const authenticateUser = new AuthenticateUser(users, hasher, attempts, verified, rates, abuseLimits, clock);

  const world = {
    store,
    clock,
    rates,
    attempts,
    hasher,
    users,
    blocks,
    groups,
    messages,
    registerUser: new RegisterUser(users, hasher, ids, rates, abuseLimits, clock),
    verified,
    tokens,
    authenticateUser,
    authenticateToken: new AuthenticateToken(tokens, clock),
    login: new Login(authenticateUser, tokens, clock),
    sendMessage: new SendMessage(users, messages, ids, clock),
    checkMessages: new CheckMessages(messages, clock),
    blockUser: new BlockUser(users, blocks),
    unblockUser: new UnblockUser(users, blocks),
    createGroup: new CreateGroup(users, blocks, groups, ids, clock, policy),
    addGroupMember: new AddGroupMember(users, groups, clock, policy),
    removeGroupMember: new RemoveGroupMember(groups, policy),
    sendGroupMessage: new SendGroupMessage(groups, blocks, messages, ids, clock),
    getGroup: new GetGroup(groups),
    listGroups: new ListGroups(groups),

    /** Registers `count` users and answers their ids. */
    async register(count: number): Promise<string[]> {
      const created: string[] = [];
      for (let i = 0; i < count; i++) created.push((await world.registerUser.execute({ password: PASSWORD, clientAddress: CLIENT })).userId);
      return created;
    },

    /** Stores `count` users directly, without hashing: for tests that need many. */
    async seedUsers(count: number): Promise<string[]> {
      const created: string[] = [];
      for (let i = 0; i < count; i++) {
        const user = { id: ids.newUserId(), passwordHash: 'unusable', createdAt: clock.now() };
        await users.insert(user);
        created.push(user.id);
      }
      return created;
    },

    /** Sends a direct message and moves the clock on by a second. */
    async send(senderId: string, receiverId: string, text: string): Promise<string> {
      const { messageId } = await world.sendMessage.execute({ senderId, receiverId, text });
      clock.advance(1000);
      return messageId;
    },

    /** Texts of the messages in one page. */
    texts(page: { messages: { text: string }[] }): string[] {
      return page.messages.map((m) => m.text);
    },
  };
  return world;
}

export type World = ReturnType<typeof buildWorld>;

/** Awaits `promise` and answers the DomainError code it failed with (or fails the test). */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    throw error;
  }
  throw new Error('expected the promise to fail with a DomainError');
}
