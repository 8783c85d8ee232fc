// Loaded before the suites of test/multiregion (.mocharc.multiregion.json): the two-region
// harness they share is started by the first suite that needs it and stopped at the end. They
// need the built server (scripts/integration.mjs --multi-region builds it first).
import { currentHarness, DELAY_MS, JITTER_MS, stopSharedHarness } from './twoRegions.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedHarness();
  },
  /** Every suite leaves replication running: a paused link would starve the next one. */
  async afterEach(): Promise<void> {
    await resumeAll();
  },
};

async function resumeAll(): Promise<void> {
  const harness = await currentHarness();
  if (!harness) return;
  const [a, b] = harness.regions;
  harness.replicator.resume(a, b);
  harness.replicator.resume(b, a);
  harness.replicator.setDelay(a, b, DELAY_MS, JITTER_MS);
  harness.replicator.setDelay(b, a, DELAY_MS, JITTER_MS);
}
