// The composition root: the Inversify container, built once per process. Storage is one
// ContainerModule (memory here; DynamoDB in its own module); the profile (secure or seed) is a
// group policy and a response shaper; the use cases are plain classes (the core knows nothing of
// Inversify), built by createUseCases from what is bound here, and handed to the ApiHandler.
import 'reflect-metadata';
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import { SECURE_GROUP_POLICY, SEED_GROUP_POLICY } from '../../core/GroupPolicy.js';
import { Limits } from '../../core/Limits.js';
import { ONE_REGION_SETTLE, SettleWindow } from '../../core/SettleWindow.js';
import type { PushMessage } from '../../core/use-cases/PushMessage.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';
import { createDynamoDbTable } from '../dynamodb/createDynamoDbTable.js';
import type { DynamoDbSettings } from '../dynamodb/dynamoDbSettings.js';
import { DynamoDbConnectionRepository } from '../dynamodb/DynamoDbConnectionRepository.js';
import { DynamoDbBlockRepository } from '../dynamodb/DynamoDbBlockRepository.js';
import { DynamoDbGroupRepository } from '../dynamodb/DynamoDbGroupRepository.js';
import { DynamoDbMessageRepository } from '../dynamodb/DynamoDbMessageRepository.js';
import { DynamoDbPasswordAttemptLimiter } from '../dynamodb/DynamoDbPasswordAttemptLimiter.js';
import { DynamoDbRateLimiter } from '../dynamodb/DynamoDbRateLimiter.js';
import { DynamoDbUserRepository } from '../dynamodb/DynamoDbUserRepository.js';
import { HomeRegions, regionTag } from '../dynamodb/regional/HomeRegions.js';
import { DEFAULT_BREAKER } from '../dynamodb/regional/CircuitBreaker.js';
import { HomeRouter, regionalSettings } from '../dynamodb/regional/HomeRouter.js';
import type { MultiRegionSettings } from '../dynamodb/regional/multiRegionSettings.js';
import { RegionalBlockRepository } from '../dynamodb/regional/RegionalBlockRepository.js';
import { RegionalGroupRepository } from '../dynamodb/regional/RegionalGroupRepository.js';
import { RegionalMessageRepository } from '../dynamodb/regional/RegionalMessageRepository.js';
import { RegionalPasswordAttemptLimiter } from '../dynamodb/regional/RegionalPasswordAttemptLimiter.js';
import { RegionalRateLimiter } from '../dynamodb/regional/RegionalRateLimiter.js';
import { RegionalUserRepository } from '../dynamodb/regional/RegionalUserRepository.js';
import { InMemoryBlockRepository } from '../memory/InMemoryBlockRepository.js';
import { InMemoryGroupRepository } from '../memory/InMemoryGroupRepository.js';
import { InMemoryMessageRepository } from '../memory/InMemoryMessageRepository.js';
import { InMemoryPasswordAttemptLimiter } from '../memory/InMemoryPasswordAttemptLimiter.js';
import { InMemoryConnectionRepository } from '../memory/InMemoryConnectionRepository.js';
import { InMemoryRateLimiter } from '../memory/InMemoryRateLimiter.js';
import { InMemoryStore } from '../memory/InMemoryStore.js';
import { InMemoryUserRepository } from '../memory/InMemoryUserRepository.js';
import { ApiGatewayConnectionGateway } from '../push/ApiGatewayConnectionGateway.js';
import { InlinePushNotifier } from '../push/InlinePushNotifier.js';
import { InProcessConnectionGateway } from '../push/InProcessConnectionGateway.js';
import { LocalRemoteCloser, localManagementKey } from '../push/LocalRemoteCloser.js';
import { BoundedPasswordHasher } from '../runtime/BoundedPasswordHasher.js';
import { InProcessVerifiedPasswordCache } from '../runtime/InProcessVerifiedPasswordCache.js';
import { JoseTokenSigner } from '../runtime/JoseTokenSigner.js';
import { ScryptPasswordHasher } from '../runtime/ScryptPasswordHasher.js';
import { SystemClock } from '../runtime/SystemClock.js';
import { UlidIdGenerator } from '../runtime/UlidIdGenerator.js';
import { ApiHandler } from './ApiHandler.js';
import { requestTimeLeft } from './requestDeadline.js';
import type { Config } from './config.js';
import { MeteredConnectionGateway } from './MeteredConnectionGateway.js';
import { MeteredDeliveryNotifier } from './MeteredDeliveryNotifier.js';
import { RequestLog } from './RequestLog.js';
import { METRIC, NO_METRICS, PowertoolsServiceMetrics } from './ServiceMetrics.js';
import { SecureResponseShaper, SeedResponseShaper } from './ResponseShaper.js';
import { ROUTES } from './routes.js';
import { StreamPushHandler } from './StreamPushHandler.js';
import { WebSocketHandler } from './WebSocketHandler.js';
import { TYPES, type Token } from './TYPES.js';
import { createUseCases, type Collaborators } from './useCases.js';

type Bind = ContainerModuleLoadOptions['bind'];
type Get = <T>(token: Token<T>) => T;

/** Binds `value` as the one instance of `token`'s service; the compiler checks it is one. */
export function constant<T>(bind: Bind, token: Token<T>, value: T): void {
  bind(token).toConstantValue(value);
}

/** Which bound service each collaborator of the use cases is. */
const COLLABORATORS: { readonly [K in keyof Collaborators]-?: Token<NonNullable<Collaborators[K]>> } = {
  users: TYPES.UserRepository,
  blocks: TYPES.BlockRepository,
  groups: TYPES.GroupRepository,
  messages: TYPES.MessageRepository,
  attempts: TYPES.PasswordAttemptLimiter,
  rates: TYPES.RateLimiter,
  hasher: TYPES.PasswordHasher,
  verified: TYPES.VerifiedPasswordCache,
  tokens: TYPES.TokenSigner,
  ids: TYPES.IdGenerator,
  clock: TYPES.Clock,
  policy: TYPES.GroupPolicy,
  abuseLimits: TYPES.AbuseLimits,
  connections: TYPES.ConnectionRepository,
  gateway: TYPES.ConnectionGateway,
  notifierFor: TYPES.NotifierFor,
  settle: TYPES.SettlePolicy,
};

function collaborators(get: Get): Collaborators {
  const entries = Object.entries(COLLABORATORS).map(([name, token]) => [name, get(token as Token<unknown>)]);
  return Object.fromEntries(entries) as unknown as Collaborators;
}

/** Every repository over one in-process store: the default for `npm start` and the tests. */
export function memoryStorage(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const store = new InMemoryStore();
    constant(bind, TYPES.UserRepository, new InMemoryUserRepository(store));
    constant(bind, TYPES.BlockRepository, new InMemoryBlockRepository(store));
    constant(bind, TYPES.GroupRepository, new InMemoryGroupRepository(store));
    constant(bind, TYPES.MessageRepository, new InMemoryMessageRepository(store));
    constant(bind, TYPES.PasswordAttemptLimiter, new InMemoryPasswordAttemptLimiter(store.attempts));
    constant(bind, TYPES.RateLimiter, new InMemoryRateLimiter());
    constant(bind, TYPES.ConnectionRepository, new InMemoryConnectionRepository());
  });
}

/** Every repository on one DynamoDB table, through one client for the process. */
export function dynamoDbStorage(settings: DynamoDbSettings): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // No call outlives the request it serves (requestDeadline.ts).
    const table = createDynamoDbTable(settings, requestTimeLeft);
    constant(bind, TYPES.DynamoDbTable, table);
    constant(bind, TYPES.UserRepository, new DynamoDbUserRepository(table));
    constant(bind, TYPES.BlockRepository, new DynamoDbBlockRepository(table));
    bind(TYPES.GroupRepository)
      .toDynamicValue(({ get }) => new DynamoDbGroupRepository(table, (get as Get)(TYPES.Clock)))
      .inSingletonScope();
    // The process's one Clock (runtimeModule), so a test's fake clock drives leases and fences too.
    bind(TYPES.MessageRepository)
      .toDynamicValue(({ get }) => new DynamoDbMessageRepository(table, (get as Get)(TYPES.Clock)))
      .inSingletonScope();
    constant(bind, TYPES.PasswordAttemptLimiter, new DynamoDbPasswordAttemptLimiter(table));
    constant(bind, TYPES.RateLimiter, new DynamoDbRateLimiter(table));
    constant(bind, TYPES.ConnectionRepository, new DynamoDbConnectionRepository(table));
  });
}

/**
 * Several regions (docs/multi-region.md §3): every repository routes each call to the replica of
 * the data's home (the local one while a home's breaker is open, or 503 for group changes), the
 * inboxes and list_groups read locally, and this region's connections are kept in its own map.
 */
export function regionalStorage(settings: DynamoDbSettings, multiRegion: MultiRegionSettings, callbackUrl: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const homes = new HomeRegions(multiRegion.regions, multiRegion.localRegion);
    bind(TYPES.HomeRouter)
      .toDynamicValue(({ get }) => {
        const g = get as Get;
        const log = g(TYPES.RequestLog);
        const metrics = g(TYPES.ServiceMetrics);
        const now = () => g(TYPES.Clock).now();
        // Every fallback is counted; the warning is logged once per home and breaker period, so an
        // outage's log volume does not follow the traffic.
        const warnedAt = new Map<string, number>();
        return new HomeRouter(
          homes,
          (region) => createDynamoDbTable(regionalSettings(settings, region, multiRegion.endpoints), requestTimeLeft),
          now,
          (home, operation) => {
            metrics.add(METRIC.homeFallback);
            const at = now();
            if (at - (warnedAt.get(home) ?? -Infinity) < DEFAULT_BREAKER.openMs) return;
            warnedAt.set(home, at);
            log.warn('home region unreachable: local replica used', { home, operation });
          },
        );
      })
      .inSingletonScope();
    const router = (get: Get) => get(TYPES.HomeRouter);
    bind(TYPES.DynamoDbTable).toDynamicValue(({ get }) => router(get as Get).local).inSingletonScope();
    bind(TYPES.UserRepository).toDynamicValue(({ get }) => new RegionalUserRepository(router(get as Get))).inSingletonScope();
    bind(TYPES.BlockRepository).toDynamicValue(({ get }) => new RegionalBlockRepository(router(get as Get))).inSingletonScope();
    bind(TYPES.GroupRepository)
      .toDynamicValue(({ get }) => {
        const g = get as Get;
        return new RegionalGroupRepository(router(g), g(TYPES.Clock), g(TYPES.BlockRepository));
      })
      .inSingletonScope();
    bind(TYPES.MessageRepository)
      .toDynamicValue(({ get }) => {
        const g = get as Get;
        return new RegionalMessageRepository(router(g), g(TYPES.Clock), g(TYPES.UserRepository));
      })
      .inSingletonScope();
    bind(TYPES.PasswordAttemptLimiter).toDynamicValue(({ get }) => new RegionalPasswordAttemptLimiter(router(get as Get))).inSingletonScope();
    bind(TYPES.RateLimiter).toDynamicValue(({ get }) => new RegionalRateLimiter(router(get as Get))).inSingletonScope();
    bind(TYPES.ConnectionRepository)
      .toDynamicValue(
        ({ get }) =>
          new DynamoDbConnectionRepository(router(get as Get).local, {
            region: multiRegion.localRegion,
            callbackUrl,
            regions: multiRegion.regions,
          }),
      )
      .inSingletonScope();
  });
}

/** The storage module the configuration names. */
export function storageFor(config: Config): ContainerModule {
  if (config.dynamodb && config.multiRegion && config.push.via !== 'inline') {
    return regionalStorage(config.dynamodb, config.multiRegion, config.push.callbackUrl);
  }
  return config.dynamodb ? dynamoDbStorage(config.dynamodb) : memoryStorage();
}

/** The seed profile is configuration of the same use cases and handlers: a policy and a shaper. */
function profileModule(config: Config): ContainerModule {
  const seed = config.profile === 'seed';
  return new ContainerModule(({ bind }) => {
    constant(bind, TYPES.GroupPolicy, seed ? SEED_GROUP_POLICY : SECURE_GROUP_POLICY);
    constant(bind, TYPES.ResponseShaper, seed ? new SeedResponseShaper() : new SecureResponseShaper());
  });
}

/** On AWS the table's stream pushes (pushFromStream); a send has nothing more to do. */
const PUSHED_BY_STREAM: DeliveryNotifier = Object.freeze({ delivered: () => undefined });

/**
 * Where pushes go: the local server's own WebSockets, or API Gateway's WebSocket API; each push
 * and each delivery counted (the bound ServiceMetrics).
 */
function pushModule(config: Config): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const { push } = config;
    const metered = (gateway: ConnectionGateway) =>
      bind(TYPES.ConnectionGateway)
        .toDynamicValue(({ get }) => new MeteredConnectionGateway(gateway, (get as Get)(TYPES.ServiceMetrics)))
        .inSingletonScope();
    const notifier = (inner: (pushMessage: PushMessage, log: RequestLog) => DeliveryNotifier) =>
      bind(TYPES.NotifierFor)
        .toDynamicValue(({ get }) => {
          const g = get as Get;
          return (pushMessage: PushMessage) => new MeteredDeliveryNotifier(inner(pushMessage, g(TYPES.RequestLog)), g(TYPES.ServiceMetrics));
        })
        .inSingletonScope();
    if (push.via === 'stream') {
      metered(new ApiGatewayConnectionGateway(push.callbackUrl, push.region));
      notifier(() => PUSHED_BY_STREAM);
      return;
    }
    if (push.via === 'localStream') {
      const key = localManagementKey(config.tokenSecret);
      const local = new InProcessConnectionGateway(new SystemClock(), new LocalRemoteCloser(push.callbackUrl, key));
      constant(bind, TYPES.LocalConnections, local);
      constant(bind, TYPES.LocalManagement, { key, close: (connectionId: string) => local.close(connectionId, 'replaced') });
      metered(local);
      notifier(() => PUSHED_BY_STREAM);
      return;
    }
    // Its timers close sockets in real time, so it keeps real time too.
    const local = new InProcessConnectionGateway(new SystemClock());
    constant(bind, TYPES.LocalConnections, local);
    metered(local);
    // A push that failed is only a late message (the client's cursor catches up): logged, by name only.
    notifier(
      (pushMessage, log) =>
        new InlinePushNotifier(pushMessage, (error) => log.warn('push failed', { error: error instanceof Error ? error.name : typeof error })),
    );
  });
}

/** The process's own services: clock, ids, hashing, tokens, the password cache, the log and metrics. */
function runtimeModule(config: Config): ContainerModule {
  return new ContainerModule(({ bind }) => {
    constant(bind, TYPES.Config, config);
    constant(bind, TYPES.Clock, new SystemClock());
    constant(bind, TYPES.IdGenerator, new UlidIdGenerator(config.multiRegion ? regionTag(config.multiRegion.localRegion) : ''));
    // One region: the late-write window. Several: that plus the replication lag bound (D4).
    constant(bind, TYPES.SettlePolicy, config.multiRegion ? new SettleWindow(Limits.lateWriteWindowMs + config.multiRegion.lagBoundMs) : ONE_REGION_SETTLE);
    constant(bind, TYPES.PasswordHasher, new BoundedPasswordHasher(new ScryptPasswordHasher(config.scryptCost)));
    constant(bind, TYPES.AbuseLimits, config.abuseLimits);
    constant(bind, TYPES.TokenSigner, new JoseTokenSigner(config.tokenSecret, config.tokenTtlSeconds));
    constant(bind, TYPES.VerifiedPasswordCache, new InProcessVerifiedPasswordCache());
    constant(bind, TYPES.RequestLog, new RequestLog(config.logLevel, undefined, config.metrics.serviceName));
    const { enabled, namespace, serviceName } = config.metrics;
    constant(bind, TYPES.ServiceMetrics, enabled ? new PowertoolsServiceMetrics({ namespace, serviceName }) : NO_METRICS);
  });
}

const applicationModule = new ContainerModule(({ bind }) => {
  bind(TYPES.UseCases)
    .toDynamicValue(({ get }) => createUseCases(collaborators(get as Get)))
    .inSingletonScope();
  bind(TYPES.ApiHandler)
    .toDynamicValue(({ get }) => {
      const g = get as Get;
      return new ApiHandler({
        routes: ROUTES,
        useCases: g(TYPES.UseCases),
        policy: g(TYPES.GroupPolicy),
        shaper: g(TYPES.ResponseShaper),
        log: g(TYPES.RequestLog),
        metrics: g(TYPES.ServiceMetrics),
      });
    })
    .inSingletonScope();
  bind(TYPES.WebSocketHandler)
    .toDynamicValue(({ get }) => {
      const g = get as Get;
      const { openConnection, closeConnection } = g(TYPES.UseCases);
      return new WebSocketHandler({
        openConnection,
        closeConnection,
        gateway: g(TYPES.ConnectionGateway),
        log: g(TYPES.RequestLog),
        metrics: g(TYPES.ServiceMetrics),
      });
    })
    .inSingletonScope();
  bind(TYPES.StreamPushHandler)
    .toDynamicValue(({ get }) => {
      const g = get as Get;
      const config = g(TYPES.Config);
      const clock = g(TYPES.Clock);
      const watch = config.multiRegion && { localRegion: config.multiRegion.localRegion, settle: g(TYPES.SettlePolicy), now: () => clock.now() };
      return new StreamPushHandler(g(TYPES.UseCases).pushMessage, g(TYPES.RequestLog), g(TYPES.ServiceMetrics), watch || undefined);
    })
    .inSingletonScope();
});

/** The container for `config`, with `storage` (default: the one the configuration names). */
export function buildContainer(config: Config, storage: ContainerModule = storageFor(config)): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(runtimeModule(config), storage, pushModule(config), profileModule(config), applicationModule);
  return container;
}

/** Resolves a service by its typed token. */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get(token);
}
