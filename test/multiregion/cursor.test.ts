// The cursor across regions (docs/multi-region.md, D4, §5.1): a message written in one region
// reaches the other's replica up to L later; a cursor there treats as settled only what is older
// than 5 s + L, so it still finds the message. The second test shows the window is what does it
// (a 5 s window loses the same message); the third, what happens past the bound (residual risk 1)
// and that LateReplicatedInbox reports it.
import { expect } from 'chai';
import { createDynamoDbTable } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbMessageRepository } from '../../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import type { InboxCursor } from '../../src/core/InboxCursor.js';
import { SettleWindow } from '../../src/core/SettleWindow.js';
import { CheckMessages } from '../../src/core/use-cases/CheckMessages.js';
import type { Harness } from '../../scripts/multiRegionHarness.js';
import { bearer, LAG_BOUND_MS, ok, post, register, SETTLE_WINDOW_MS, sleep, token, twoRegions } from './twoRegions.js';

interface Chain {
  readonly name: string;
  /** Which region each poll goes to. */
  readonly urlFor: (poll: number) => string;
  cursor: string;
  polls: number;
  readonly received: string[];
  readonly pages: { message_id: string; timestamp: string }[][];
}

describe('Two regions: the cursor', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: string;
  let B: string;
  let a: string;
  let b: string;

  before(async function () {
    ({ h, a, b, A, B } = await twoRegions());
  });

  async function poll(chain: Chain, auth: string): Promise<boolean> {
    const page = ok(await post(chain.urlFor(chain.polls++), '/check_messages', { cursor: chain.cursor, limit: 50 }, bearer(auth)), `${chain.name} poll`);
    chain.received.push(...page.messages.map((m: { message_id: string }) => m.message_id));
    chain.pages.push(page.messages);
    chain.cursor = page.next_cursor;
    return page.has_more as boolean;
  }

  async function chainAtEnd(name: string, urlFor: (poll: number) => string, auth: string): Promise<Chain> {
    const start = ok(await post(urlFor(0), '/check_messages', { limit: 1 }, bearer(auth)), 'newest page');
    return { name, urlFor, cursor: start.next_cursor, polls: 0, received: [], pages: [] };
  }

  it('delivers every acknowledged message exactly once to chains in either region or both, with lags up to L and a burst over 128', async function () {
    // Every write reaches the other replica after a delay drawn uniformly from [0, L].
    h.replicator.setDelay(a, b, LAG_BOUND_MS / 2, LAG_BOUND_MS / 2);
    h.replicator.setDelay(b, a, LAG_BOUND_MS / 2, LAG_BOUND_MS / 2);
    const [receiver, senderA, senderB] = await Promise.all([register(A), register(A), register(B)]);
    const [auth, authA, authB] = await Promise.all([token(A, receiver), token(A, senderA), token(B, senderB)]);
    await h.replicator.settled();
    const chains = await Promise.all([
      chainAtEnd('chain on us-east-1', () => A, auth),
      chainAtEnd('chain on eu-west-1', () => B, auth),
      chainAtEnd('chain alternating', (n) => (n % 2 === 0 ? A : B), auth),
    ]);

    const sent: string[] = [];
    let sending = true;
    const send = async (from: string, senderAuth: string, text: string) => {
      const body = ok(await post(from, '/send_message', { receiver_id: receiver, message: text }, bearer(senderAuth)), 'send');
      sent.push(body.message_id as string);
    };
    const senders = (async () => {
      for (let i = 0; i < 20; i++) {
        // Each sender through both regions: the send itself runs at the sender's home.
        await Promise.all([send(i % 2 ? A : B, authA, `a ${i}`), send(i % 2 ? B : A, authB, `b ${i}`)]);
        await sleep(50);
      }
      // A burst of 150 inside the window: more unsettled messages than a cursor remembers (128).
      for (let batch = 0; batch < 6; batch++) {
        await Promise.all(Array.from({ length: 25 }, (_, i) => send(i % 2 ? A : B, i % 3 ? authA : authB, `burst ${batch} ${i}`)));
      }
      sending = false;
    })();
    const pollers = chains.map(async (chain) => {
      while (sending) {
        await poll(chain, auth);
        await sleep(150);
      }
    });
    await Promise.all([senders, ...pollers]);
    // Past the settle window of the last send, every chain drains.
    await sleep(SETTLE_WINDOW_MS + 500);
    for (const chain of chains) for (let calls = 0; calls < 50 && (await poll(chain, auth)); calls++);

    expect(sent.length, 'every send was acknowledged').to.equal(190);
    for (const chain of chains) {
      expect(chain.received.length, `${chain.name}: nothing twice`).to.equal(new Set(chain.received).size);
      expect([...chain.received].sort(), `${chain.name}: every acknowledged message`).to.deep.equal([...sent].sort());
      for (const page of chain.pages) {
        const stamps = page.map((m) => m.timestamp);
        expect(stamps, `${chain.name}: each page in inbox order`).to.deep.equal([...stamps].sort());
      }
    }
  });

  /** Two chains of this test's own on eu-west-1's replica, one with the 5 s window of one region. */
  function chainsOnB(): { window: number; check: CheckMessages; cursor?: InboxCursor; received: string[] }[] {
    const repo = new DynamoDbMessageRepository(createDynamoDbTable({ tableName: h.tableName, region: b, endpoint: h.endpoints[b] }), new SystemClock());
    return [5_000, SETTLE_WINDOW_MS].map((window) => ({ window, check: new CheckMessages(repo, new SystemClock(), new SettleWindow(window)), received: [] }));
  }

  /**
   * A message from a us-east-1 sender while us-east-1 → eu-west-1 is stalled, then one from an
   * eu-west-1 sender just after it (it lands in eu-west-1 at once); chains on eu-west-1 poll until
   * `resumeAfterMs` after the first, when replication resumes, and on for `until` ms.
   */
  async function lateMessageScenario(resumeAfterMs: number, untilMs: number) {
    const [receiver, early, late] = await Promise.all([register(A), register(A), register(B)]);
    const auth = await token(B, receiver);
    await h.replicator.settled();
    const local = chainsOnB();
    for (const chain of local) chain.cursor = (await chain.check.execute({ userId: receiver, limit: 1 })).nextCursor;
    const http = await chainAtEnd('server chain on eu-west-1', () => B, auth);

    h.replicator.pause(a, b);
    const sentAt = Date.now();
    const first = ok(await post(A, '/send_message', { sender_id: early, password: 'correct horse battery', receiver_id: receiver, message: 'held up' }), 'first').message_id as string;
    await sleep(100);
    const second = ok(await post(B, '/send_message', { sender_id: late, password: 'correct horse battery', receiver_id: receiver, message: 'on time' }), 'second').message_id as string;
    let resumed = false;
    const timeline: string[] = [];
    while (Date.now() - sentAt < untilMs) {
      if (!resumed && Date.now() - sentAt >= resumeAfterMs) {
        h.replicator.resume(a, b);
        resumed = true;
        timeline.push(`resumed at ${Date.now() - sentAt} ms`);
      }
      for (const chain of local) {
        const page = await chain.check.execute({ userId: receiver, cursor: chain.cursor, limit: 50 });
        chain.received.push(...page.messages.map((m) => m.id));
        if (page.messages.length > 0) timeline.push(`${chain.window} ms chain got ${page.messages.map((m) => (m.id === first ? 'first' : 'second'))} at ${Date.now() - sentAt} ms`);
        chain.cursor = page.nextCursor;
      }
      await poll(http, auth);
      await sleep(200);
    }
    return { first, second, local, http, timeline: timeline.join('; ') };
  }

  it('keeps a message replicated more than 5 s late (within 5 s + L), which a 5 s window would lose', async function () {
    const { first, second, local, http, timeline } = await lateMessageScenario(5_000 + LAG_BOUND_MS / 2, SETTLE_WINDOW_MS + 1_500);
    const [oneRegion, several] = local;
    expect(oneRegion!.received, `the 5 s window passed its place before it arrived: lost along that chain (${timeline})`).to.deep.equal([second]);
    expect([...several!.received].sort(), `the 5 s + L window waited for it: both, once (${timeline})`).to.deep.equal([first, second].sort());
    expect([...http.received].sort(), `eu-west-1's server (5 s + L): both, once (${timeline})`).to.deep.equal([first, second].sort());
  });

  it('loses a message replicated later than 5 s + L for chains that passed its place, and counts it as LateReplicatedInbox', async function () {
    const { first, second, http } = await lateMessageScenario(SETTLE_WINDOW_MS + 1_000, SETTLE_WINDOW_MS + 2_500);
    expect(http.received, 'residual risk 1: past the bound, the chain had passed its place').to.deep.equal([second]);
    await h.replicator.settled();
    await sleep(500); // eu-west-1's consumer reads its stream every 100 ms
    const log = h.output(b);
    expect(log, "eu-west-1's consumer logs the late item").to.match(new RegExp(`late replicated inbox item[^\\n]*${first}`));
    expect(log, 'and counts it in the metric the alarm reads').to.match(/"LateReplicatedInbox"/);
  });
});
