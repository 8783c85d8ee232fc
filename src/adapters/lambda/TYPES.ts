// Service identifiers of the container: one Symbol per service, never strings. Each carries the
// type of what it names, so binding or resolving the wrong thing fails to compile.
import type { AbuseLimits } from '../../core/AbuseLimits.js';
import type { GroupPolicy } from '../../core/GroupPolicy.js';
import type { PushMessage } from '../../core/use-cases/PushMessage.js';
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
import type { TokenSigner } from '../../ports/TokenSigner.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { VerifiedPasswordCache } from '../../ports/VerifiedPasswordCache.js';
import type { DynamoDbTable } from '../dynamodb/DynamoDbTable.js';
import type { HomeRouter } from '../dynamodb/regional/HomeRouter.js';
import type { SettlePolicy } from '../../ports/SettlePolicy.js';
import type { LocalManagement } from '../http/LocalManagementApi.js';
import type { InProcessConnectionGateway } from '../push/InProcessConnectionGateway.js';
import type { ApiHandler } from './ApiHandler.js';
import type { Config } from './config.js';
import type { RequestLog } from './RequestLog.js';
import type { ResponseShaper } from './ResponseShaper.js';
import type { ServiceMetrics } from './ServiceMetrics.js';
import type { StreamPushHandler } from './StreamPushHandler.js';
import type { WebSocketHandler } from './WebSocketHandler.js';
import type { UseCases } from './useCases.js';

/** A Symbol that names a service of type T (the type exists only for the compiler). */
export type Token<T> = symbol & { readonly __service?: (service: T) => T };

const token = <T>(name: string): Token<T> => Symbol.for(`messaging-api.${name}`) as Token<T>;

export const TYPES = {
  Config: token<Config>('Config'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  TokenSigner: token<TokenSigner>('TokenSigner'),
  VerifiedPasswordCache: token<VerifiedPasswordCache>('VerifiedPasswordCache'),
  PasswordAttemptLimiter: token<PasswordAttemptLimiter>('PasswordAttemptLimiter'),
  RateLimiter: token<RateLimiter>('RateLimiter'),
  AbuseLimits: token<AbuseLimits>('AbuseLimits'),
  UserRepository: token<UserRepository>('UserRepository'),
  BlockRepository: token<BlockRepository>('BlockRepository'),
  GroupRepository: token<GroupRepository>('GroupRepository'),
  MessageRepository: token<MessageRepository>('MessageRepository'),
  /** Bound with DynamoDB storage only: the table the repositories share. */
  DynamoDbTable: token<DynamoDbTable>('DynamoDbTable'),
  ConnectionRepository: token<ConnectionRepository>('ConnectionRepository'),
  ConnectionGateway: token<ConnectionGateway>('ConnectionGateway'),
  /** Several regions: which replica each call goes to. */
  HomeRouter: token<HomeRouter>('HomeRouter'),
  /** Where a cursor's inbox is settled (one region, or several). */
  SettlePolicy: token<SettlePolicy>('SettlePolicy'),
  /** The local two-region harness: other local servers close this one's WebSockets through it. */
  LocalManagement: token<LocalManagement>('LocalManagement'),
  /** Bound off Lambda only: the local server registers its WebSockets here. */
  LocalConnections: token<InProcessConnectionGateway>('LocalConnections'),
  NotifierFor: token<(push: PushMessage) => DeliveryNotifier>('NotifierFor'),
  GroupPolicy: token<GroupPolicy>('GroupPolicy'),
  ResponseShaper: token<ResponseShaper>('ResponseShaper'),
  RequestLog: token<RequestLog>('RequestLog'),
  ServiceMetrics: token<ServiceMetrics>('ServiceMetrics'),
  UseCases: token<UseCases>('UseCases'),
  ApiHandler: token<ApiHandler>('ApiHandler'),
  WebSocketHandler: token<WebSocketHandler>('WebSocketHandler'),
  StreamPushHandler: token<StreamPushHandler>('StreamPushHandler'),
} as const;
