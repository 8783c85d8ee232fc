// What the wider settle window of several regions (5 s + REPLICATION_LAG_BOUND_MS, D4) costs a
// poll, against one region's 5 s: the real CheckMessages and cursor over the in-memory inbox (the
// same reads, counted), on a simulated clock. Prints, per window:
// - steady: the cost model's traffic (130 inbox items per user a day), a poll a minute: items
//   read per poll, share of messages still unsettled at their first delivery;
// - burst: 300 messages at 60 a second into one inbox, polled every second with limit 500:
//   items read per poll (most), longest hold (sent → delivered), longest encoded cursor, and the
//   rate above which messages wait (128 unsettled ids per cursor / window).
//   node --import tsx bench/settleWindow.ts [--windows=5000,7000,15000]
import { InMemoryMessageRepository } from '../src/adapters/memory/InMemoryMessageRepository.js';
import { InMemoryStore } from '../src/adapters/memory/InMemoryStore.js';
import { encodeCursor } from '../src/adapters/lambda/CursorCodec.js';
import { Limits } from '../src/core/Limits.js';
import type { InboxCursor, InboxPosition } from '../src/core/InboxCursor.js';
import type { Message } from '../src/core/Message.js';
import { SettleWindow } from '../src/core/SettleWindow.js';
import { CheckMessages } from '../src/core/use-cases/CheckMessages.js';
import type { Clock } from '../src/ports/Clock.js';

/** An inbox item as the DynamoDB adapter stores it is about this big (ids, sender, a short text). */
const ITEM_BYTES = 150;
const RRU_BYTES = 4096;

class SimClock implements Clock {
  constructor(public current: number) {}
  now(): number {
    return this.current;
  }
  async sleep(): Promise<void> {}
}

class CountingRepository extends InMemoryMessageRepository {
  reads: number[] = [];
  override async after(userId: string, position: InboxPosition, limit: number): Promise<Message[]> {
    const found = await super.after(userId, position, limit);
    this.reads.push(found.length);
    return found;
  }
}

const windows = (process.argv.find((a) => a.startsWith('--windows='))?.slice(10) ?? '5000,7000,15000').split(',').map(Number);
const START = Date.UTC(2026, 0, 15, 0, 0, 0);
let next = 0;
const message = (sentAt: number): Message => ({ id: `msg-${String(next++).padStart(26, '0')}`, senderId: 'user-sender', text: 'hello there', sentAt });

function rru(items: number): number {
  return Math.max(1, Math.ceil((items * ITEM_BYTES) / RRU_BYTES));
}

async function steady(windowMs: number) {
  const store = new InMemoryStore();
  const repo = new CountingRepository(store);
  const clock = new SimClock(START);
  const check = new CheckMessages(repo, clock, new SettleWindow(windowMs));
  // 130 messages at random times over a day (seeded), polled every 60 s.
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const times = Array.from({ length: 130 }, () => START + Math.floor(random() * 86_400_000)).sort((x, y) => x - y);
  let cursor: InboxCursor = (await check.execute({ userId: 'u' })).nextCursor;
  repo.reads = [];
  const firstDelivery = new Map<string, boolean>();
  let sent = 0;
  for (let t = START; t < START + 86_400_000; t += 60_000) {
    clock.current = t;
    while (sent < times.length && times[sent]! <= t) store.inbox('u').insert(message(times[sent++]!));
    const page = await check.execute({ userId: 'u', cursor });
    for (const m of page.messages) firstDelivery.set(m.id, m.sentAt > t - windowMs);
    cursor = page.nextCursor;
  }
  const reads = repo.reads;
  const items = reads.reduce((x, y) => x + y, 0);
  return {
    polls: reads.length,
    itemsPerPoll: (items / reads.length).toFixed(3),
    unsettledAtFirstDelivery: `${((100 * [...firstDelivery.values()].filter(Boolean).length) / firstDelivery.size).toFixed(1)} %`,
    rruPerPoll: (reads.reduce((x, n) => x + rru(n), 0) / reads.length).toFixed(3),
  };
}

async function burst(windowMs: number) {
  const store = new InMemoryStore();
  const repo = new CountingRepository(store);
  const clock = new SimClock(START);
  const check = new CheckMessages(repo, clock, new SettleWindow(windowMs));
  let cursor: InboxCursor = (await check.execute({ userId: 'u' })).nextCursor;
  repo.reads = [];
  const sentAt = new Map<string, number>();
  const holds: number[] = [];
  let longestCursor = 0;
  let burstSent = 0;
  for (let t = START; t <= START + 5_000 + windowMs + 2_000; t += 100) {
    clock.current = t;
    // 60 a second for 5 s: 300 messages.
    while (burstSent < 300 && START + Math.floor((burstSent * 1000) / 60) <= t) {
      const m = message(START + Math.floor((burstSent * 1000) / 60));
      sentAt.set(m.id, m.sentAt);
      store.inbox('u').insert(m);
      burstSent++;
    }
    if ((t - START) % 1000 !== 0) continue;
    for (let calls = 0; calls < 10; calls++) {
      const page = await check.execute({ userId: 'u', cursor, limit: 500 });
      for (const m of page.messages) holds.push(t - sentAt.get(m.id)!);
      cursor = page.nextCursor;
      longestCursor = Math.max(longestCursor, Buffer.byteLength(encodeCursor(cursor)));
      if (!page.hasMore) break;
    }
  }
  return {
    delivered: holds.length,
    polls: repo.reads.length,
    itemsRead: repo.reads.reduce((x, y) => x + y, 0),
    mostItemsPerPoll: Math.max(...repo.reads),
    mostRruPerPoll: Math.max(...repo.reads.map(rru)),
    longestHoldMs: Math.max(...holds),
    longestCursorBytes: longestCursor,
    heldBackAbove: `${(Limits.cursorMaxUnsettled / (windowMs / 1000)).toFixed(1)} msg/s`,
  };
}

for (const windowMs of windows) {
  console.log(`settle window ${windowMs} ms`);
  console.log('  steady', await steady(windowMs));
  console.log('  burst ', await burst(windowMs));
}
