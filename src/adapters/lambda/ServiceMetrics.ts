// The app's own metrics, through Powertools Metrics: each invocation's counts are written to the
// log as one line in CloudWatch's Embedded Metric Format, which CloudWatch turns into metrics of
// the namespace POWERTOOLS_METRICS_NAMESPACE with the dimension service (infra/terraform's
// dashboard and alarms read them). Off the local server unless asked (POWERTOOLS_METRICS_DISABLED).
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ErrorCode } from './errorStatus.js';

/** Every metric the app emits, by the name CloudWatch shows. */
export const METRIC = Object.freeze({
  /** Inboxes a message was delivered to (1 for a direct message, the recipients of a group message). */
  messagesDelivered: 'MessagesDelivered',
  /** Recipients of one group message. */
  groupFanOut: 'GroupFanOut',
  /** Password checks refused for a locked-out user (429 too_many_attempts). */
  lockouts: 'Lockouts',
  /** Requests refused by a per-address limit (429 rate_limited). */
  rateLimited: 'RateLimited',
  /** Frames posted to an open connection. */
  pushesSent: 'PushesSent',
  /** Connections API Gateway (or the local server) said were gone, which were then forgotten. */
  pushesGone: 'PushesGone',
  /** Requests answered 503 unavailable: storage throttled, slow or down after retries. */
  storageUnavailable: 'StorageUnavailable',
  /**
   * Several regions: inbox items that reached this region's replica later than the cursor's
   * settle window (5 s + REPLICATION_LAG_BOUND_MS) after they were written elsewhere: cursors here
   * may have passed their place (docs/multi-region.md §5.1; the replication alarm reads it).
   */
  lateReplicatedInbox: 'LateReplicatedInbox',
  /** Several regions: calls made on the local replica because the data's home did not answer (D9). */
  homeFallback: 'HomeFallback',
});

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The failures counted by their error code, where the lambda adapter maps codes to statuses. */
export const FAILURE_METRICS: Readonly<Partial<Record<ErrorCode, MetricName>>> = Object.freeze({
  too_many_attempts: METRIC.lockouts,
  rate_limited: METRIC.rateLimited,
  unavailable: METRIC.storageUnavailable,
});

export interface ServiceMetrics {
  add(name: MetricName, value?: number): void;
  /** Writes what this invocation counted (nothing when it counted nothing). */
  publish(): void;
}

export const NO_METRICS: ServiceMetrics = Object.freeze({ add: () => undefined, publish: () => undefined });

export class PowertoolsServiceMetrics implements ServiceMetrics {
  private readonly metrics: Metrics;

  constructor(options: { namespace: string; serviceName: string }) {
    this.metrics = new Metrics(options);
  }

  add(name: MetricName, value = 1): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }

  publish(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
