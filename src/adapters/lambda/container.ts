// The Inversify container, built once per process. Storage is one ContainerModule; the profile
// (secure or seed) is a group policy and a response shaper; the use cases are plain classes (the
// core knows nothing of Inversify) bound with their dependencies here.
import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { SECURE_GROUP_POLICY, SEED_GROUP_POLICY } from '../../core/GroupPolicy.js';
import { AddGroupMember } from '../../core/use-cases/AddGroupMember.js';
import { AuthenticateToken } from '../../core/use-cases/AuthenticateToken.js';
import { AuthenticateUser } from '../../core/use-cases/AuthenticateUser.js';
import { BlockUser } from '../../core/use-cases/BlockUser.js';
import { CheckMessages } from '../../core/use-cases/CheckMessages.js';
import { CreateGroup } from '../../core/use-cases/CreateGroup.js';
import { GetGroup } from '../../core/use-cases/GetGroup.js';
import { ListGroups } from '../../core/use-cases/ListGroups.js';
import { Login } from '../../core/use-cases/Login.js';
import { RegisterUser } from '../../core/use-cases/RegisterUser.js';
import { RemoveGroupMember } from '../../core/use-cases/RemoveGroupMember.js';
import { SendGroupMessage } from '../../core/use-cases/SendGroupMessage.js';
import { SendMessage } from '../../core/use-cases/SendMessage.js';
import { UnblockUser } from '../../core/use-cases/UnblockUser.js';
import { InMemoryBlockRepository } from '../memory/InMemoryBlockRepository.js';
import { InMemoryGroupRepository } from '../memory/InMemoryGroupRepository.js';
import { InMemoryMessageRepository } from '../memory/InMemoryMessageRepository.js';
import { InMemoryPasswordAttemptLimiter } from '../memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryRateLimiter } from '../memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../memory/InMemoryUserRepository.js';
import { BoundedPasswordHasher } from '../runtime/BoundedPasswordHasher.js';
import { InProcessVerifiedPasswordCache } from '../runtime/InProcessVerifiedPasswordCache.js';
import { JoseTokenSigner } from '../runtime/JoseTokenSigner.js';
import { ScryptPasswordHasher } from '../runtime/ScryptPasswordHasher.js';
import { SystemClock } from '../runtime/SystemClock.js';
import { UlidIdGenerator } from '../runtime/UlidIdGenerator.js';
import type { Config } from './config.js';
import { SecureResponseShaper, SeedResponseShaper } from './ResponseShaper.js';
import { TYPES } from './TYPES.js';

/** Every repository over one in-process store: the default for `npm start` and the tests. */
export const memoryStorage = new ContainerModule(({ bind }) => {
  const store = new InMemoryStore();
  bind(TYPES.UserRepository).toConstantValue(new InMemoryUserRepository(store));
  bind(TYPES.BlockRepository).toConstantValue(new InMemoryBlockRepository(store));
  bind(TYPES.GroupRepository).toConstantValue(new InMemoryGroupRepository(store));
  bind(TYPES.MessageRepository).toConstantValue(new InMemoryMessageRepository(store));
  bind(TYPES.PasswordAttemptLimiter).toConstantValue(new InMemoryPasswordAttemptLimiter(store.attempts));
  bind(TYPES.RateLimiter).toConstantValue(new InMemoryRateLimiter());
});

const useCases = new ContainerModule(({ bind }) => {
  const { UserRepository: users, BlockRepository: blocks, GroupRepository: groups, MessageRepository: messages } =
    TYPES;
  const { PasswordHasher: hasher, IdGenerator: ids, Clock: clock, GroupPolicy: policy, TokenSigner: tokens } = TYPES;
  const singleton = <T>(id: symbol, factory: (...deps: any[]) => T, deps: symbol[]): void => {
    bind<T>(id).toResolvedValue(factory, deps).inSingletonScope();
  };
  singleton(
    TYPES.RegisterUser,
    (...d) => new RegisterUser(d[0], d[1], d[2], d[3], d[4], d[5]),
    [users, hasher, ids, TYPES.RateLimiter, TYPES.AbuseLimits, clock],
  );
  singleton(
    TYPES.AuthenticateUser,
    (...d) => new AuthenticateUser(d[0], d[1], d[2], d[3], d[4], d[5], d[6]),
    [users, hasher, TYPES.PasswordAttemptLimiter, TYPES.VerifiedPasswordCache, TYPES.RateLimiter, TYPES.AbuseLimits, clock],
  );
  singleton(TYPES.AuthenticateToken, (...d) => new AuthenticateToken(d[0], d[1]), [tokens, clock]);
  singleton(TYPES.Login, (...d) => new Login(d[0], d[1], d[2]), [TYPES.AuthenticateUser, tokens, clock]);
  singleton(TYPES.SendMessage, (...d) => new SendMessage(d[0], d[1], d[2], d[3]), [users, messages, ids, clock]);
  singleton(TYPES.CheckMessages, (...d) => new CheckMessages(d[0], d[1]), [messages, clock]);
  singleton(TYPES.BlockUser, (...d) => new BlockUser(d[0], d[1]), [users, blocks]);
  singleton(TYPES.UnblockUser, (...d) => new UnblockUser(d[0], d[1]), [users, blocks]);
  singleton(
    TYPES.CreateGroup,
    (...d) => new CreateGroup(d[0], d[1], d[2], d[3], d[4], d[5]),
    [users, blocks, groups, ids, clock, policy],
  );
  singleton(TYPES.AddGroupMember, (...d) => new AddGroupMember(d[0], d[1], d[2], d[3]), [users, groups, clock, policy]);
  singleton(TYPES.RemoveGroupMember, (...d) => new RemoveGroupMember(d[0], d[1]), [groups, policy]);
  singleton(
    TYPES.SendGroupMessage,
    (...d) => new SendGroupMessage(d[0], d[1], d[2], d[3], d[4]),
    [groups, blocks, messages, ids, clock],
  );
  singleton(TYPES.GetGroup, (...d) => new GetGroup(d[0]), [groups]);
  singleton(TYPES.ListGroups, (...d) => new ListGroups(d[0]), [groups]);
});

/** The seed profile is configuration of the same use cases and handlers: a policy and a shaper. */
function profileModule(config: Config): ContainerModule {
  const seed = config.profile === 'seed';
  return new ContainerModule(({ bind }) => {
    bind(TYPES.GroupPolicy).toConstantValue(seed ? SEED_GROUP_POLICY : SECURE_GROUP_POLICY);
    bind(TYPES.ResponseShaper).toConstantValue(seed ? new SeedResponseShaper() : new SecureResponseShaper());
  });
}

export function buildContainer(config: Config): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TYPES.Config).toConstantValue(config);
  container.bind(TYPES.Clock).toConstantValue(new SystemClock());
  container.bind(TYPES.IdGenerator).toConstantValue(new UlidIdGenerator());
  container
    .bind(TYPES.PasswordHasher)
    .toConstantValue(new BoundedPasswordHasher(new ScryptPasswordHasher(config.scryptCost)));
  container.bind(TYPES.AbuseLimits).toConstantValue(config.abuseLimits);
  container.bind(TYPES.TokenSigner).toConstantValue(new JoseTokenSigner(config.tokenSecret, config.tokenTtlSeconds));
  container.bind(TYPES.VerifiedPasswordCache).toConstantValue(new InProcessVerifiedPasswordCache());
  container.load(memoryStorage, profileModule(config), useCases);
  return container;
}
