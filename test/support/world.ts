// The use cases built on the in-memory adapters, a fake clock and the cheap scrypt cost, by the
// same createUseCases the container uses: what every unit test starts from. No container.
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../../src/core/AbuseLimits.js';
import { SECURE_GROUP_POLICY, type GroupPolicy } from '../../src/core/GroupPolicy.js';
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
import { createUseCases } from '../../src/adapters/lambda/useCases.js';
import { InMemoryConnectionRepository } from '../../src/adapters/memory/InMemoryConnectionRepository.js';
import { InProcessConnectionGateway } from '../../src/adapters/push/InProcessConnectionGateway.js';
import type { PushMessage } from '../../src/core/use-cases/PushMessage.js';
import type { DeliveryNotifier } from '../../src/ports/DeliveryNotifier.js';
import type { Message } from '../../src/core/Message.js';
import type { IdGenerator } from '../../src/ports/IdGenerator.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { CountingHasher } from './CountingHasher.js';
import { FakeClock } from './FakeClock.js';

export const PASSWORD = 'correct horse';
/** The client address of every request in the unit tests. */
export const CLIENT = '192.0.2.1';

export interface WorldOptions {
  ids?: IdGenerator;
  /** Wraps the message repository, to observe or break it (the store is there to stage a state). */
  messages?: (inner: MessageRepository, store: InMemoryStore) => MessageRepository;
  policy?: GroupPolicy;
  /** Raised by tests that register many users; the defaults are SPEC's. */
  abuseLimits?: AbuseLimits;
  /** Push every delivered message to open connections at once, as the local server does. */
  pushInline?: boolean;
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
  const messages = options.messages ? options.messages(storedMessages, store) : storedMessages;
  const policy = options.policy ?? SECURE_GROUP_POLICY;
  const attempts = new InMemoryPasswordAttemptLimiter(store.attempts);
  const rates = new InMemoryRateLimiter();
  const abuseLimits = options.abuseLimits ?? DEFAULT_ABUSE_LIMITS;
  const connections = new InMemoryConnectionRepository();
  const gateway = new InProcessConnectionGateway(clock);
  /** Records what was delivered, and pushes it like the local server when `pushInline` is set. */
  const delivered: { message: Message; recipientIds: readonly string[] }[] = [];
  let pusher: PushMessage | undefined;
  const notifier: DeliveryNotifier = {
    delivered(message, recipientIds) {
      delivered.push({ message, recipientIds });
      if (options.pushInline) void pusher!.execute(recipientIds.map((recipientId) => ({ recipientId, message })));
    },
  };
  const verified = new InProcessVerifiedPasswordCache();
  const tokens = new JoseTokenSigner(Buffer.from('a test secret that is long enough!!'), 3600);
  const useCases = createUseCases({
    users,
    blocks,
    groups,
    messages,
    attempts,
    rates,
    hasher,
    verified,
    tokens,
    ids,
    clock,
    policy,
    abuseLimits,
    connections,
    gateway,
    notifierFor: (push) => {
      pusher = push;
      return notifier;
    },
  });

  const world = {
    ...useCases,
    store,
    clock,
    rates,
    attempts,
    hasher,
    users,
    blocks,
    groups,
    messages,
    verified,
    tokens,
    connections,
    gateway,
    /** Every delivery the notifier was told of, in order. */
    delivered,

    /** Puts `message` straight into inboxes, as a write that lands late (or a slow writer) would. */
    deliverRaw(message: Message, recipientIds: readonly string[]): void {
      for (const id of recipientIds) store.inbox(id).insert(message);
    },

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
