// The one list of use cases and what each is built from. The container builds them from what it
// has bound; the unit tests from in-memory adapters and a fake clock. Each constructor call is
// checked by the compiler against the class's own parameters, so swapping two repositories fails
// to compile.
import type { AbuseLimits } from '../../core/AbuseLimits.js';
import type { GroupPolicy } from '../../core/GroupPolicy.js';
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
import { CloseConnection } from '../../core/use-cases/CloseConnection.js';
import { OpenConnection } from '../../core/use-cases/OpenConnection.js';
import { PushMessage } from '../../core/use-cases/PushMessage.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';
import type { PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';
import type { RateLimiter } from '../../ports/RateLimiter.js';
import type { SettlePolicy } from '../../ports/SettlePolicy.js';
import type { TokenSigner } from '../../ports/TokenSigner.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { VerifiedPasswordCache } from '../../ports/VerifiedPasswordCache.js';

/** Everything the use cases are built from: the ports' implementations and the profile's policy. */
export interface Collaborators {
  readonly users: UserRepository;
  readonly blocks: BlockRepository;
  readonly groups: GroupRepository;
  readonly messages: MessageRepository;
  readonly attempts: PasswordAttemptLimiter;
  readonly rates: RateLimiter;
  readonly hasher: PasswordHasher;
  readonly verified: VerifiedPasswordCache;
  readonly tokens: TokenSigner;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly policy: GroupPolicy;
  readonly abuseLimits: AbuseLimits;
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  /** How delivered messages reach the push connections, given the use case that pushes one. */
  readonly notifierFor: (push: PushMessage) => DeliveryNotifier;
  /** Where a cursor's inbox is settled; default one region's late-write window. */
  readonly settle?: SettlePolicy;
}

export function createUseCases(c: Collaborators) {
  const pushMessage = new PushMessage(c.connections, c.gateway, c.clock);
  const notifier = c.notifierFor(pushMessage);
  const authenticateToken = new AuthenticateToken(c.tokens, c.clock);
  const authenticateUser = new AuthenticateUser(
    c.users,
    c.hasher,
    c.attempts,
    c.verified,
    c.rates,
    c.abuseLimits,
    c.clock,
  );
  return {
    registerUser: new RegisterUser(c.users, c.hasher, c.ids, c.rates, c.abuseLimits, c.clock),
    authenticateUser,
    authenticateToken,
    login: new Login(authenticateUser, c.tokens, c.clock),
    sendMessage: new SendMessage(c.messages, c.ids, c.clock, notifier),
    checkMessages: new CheckMessages(c.messages, c.clock, c.settle),
    blockUser: new BlockUser(c.users, c.blocks),
    unblockUser: new UnblockUser(c.users, c.blocks),
    createGroup: new CreateGroup(c.users, c.blocks, c.groups, c.ids, c.clock, c.policy),
    addGroupMember: new AddGroupMember(c.users, c.groups, c.clock, c.policy),
    removeGroupMember: new RemoveGroupMember(c.groups, c.clock, c.policy),
    sendGroupMessage: new SendGroupMessage(c.groups, c.blocks, c.messages, c.ids, c.clock, notifier),
    getGroup: new GetGroup(c.groups),
    listGroups: new ListGroups(c.groups),
    openConnection: new OpenConnection(authenticateToken, c.connections, c.gateway, c.clock),
    closeConnection: new CloseConnection(c.connections),
    pushMessage,
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
