import type { MetricName, ServiceMetrics } from '../../src/adapters/lambda/ServiceMetrics.js';

/**
 * ServiceMetrics kept in a list: what each publish() wrote, in order, an empty one included, so
 * that a test sees both what an invocation counted and how many times it published.
 */
export class RecordedMetrics implements ServiceMetrics {
  readonly published: Partial<Record<MetricName, number>>[] = [];
  private pending: Partial<Record<MetricName, number>> = {};

  add(name: MetricName, value = 1): void {
    this.pending[name] = (this.pending[name] ?? 0) + value;
  }

  publish(): void {
    this.published.push(this.pending);
    this.pending = {};
  }
}
