// "History does not cost" (SPEC 4: a poll costs the same whatever the size of the inbox's history):
// the median time of one cursor poll (CheckMessages on a MessageRepository) against an inbox of
// 100 and of 100,000 messages, with the cursor caught up, in two windows:
//   - settled: nothing in the last 5 s, so the cursor carries no ids (`seen` is empty);
//   - unsettled: the newest 50 messages are younger than the late-write window, so the cursor
//     carries their 50 ids and every poll reads them again and skips them.
// The clock stands still while polling, so each poll reads the same thing and finds nothing new,
// as most minute polls do. The ratio of medians between the sizes is what SPEC's rule is about.
//
// The storage is a parameter: a HistoryStore opens a MessageRepository over empty inboxes.
// memoryHistoryStore is the in-memory adapter; a DynamoDB Local run passes a store whose open()
// builds the DynamoDB repository on a fresh table (STORAGE=dynamodb, DYNAMODB_ENDPOINT,
// TABLE_NAME, AWS_REGION) and whose close() drops it, with fewer samples and one poll per sample
// (a poll is then a network call, and the clock's own cost no longer matters).
import { InMemoryMessageRepository } from '../src/adapters/memory/InMemoryMessageRepository.js';
import { InMemoryStore } from '../src/adapters/memory/InMemoryStore.js';
import { UlidIdGenerator } from '../src/adapters/runtime/UlidIdGenerator.js';
import type { InboxCursor } from '../src/core/InboxCursor.js';
import { Limits } from '../src/core/Limits.js';
import type { Message } from '../src/core/Message.js';
import { CheckMessages } from '../src/core/use-cases/CheckMessages.js';
import type { Clock } from '../src/ports/Clock.js';
import type { MessageRepository } from '../src/ports/MessageRepository.js';

export interface HistoryStore {
  /** Names the storage in the output. */
  readonly name: string;
  /** A repository over empty inboxes; called once per inbox measured. */
  open(): Promise<MessageRepository>;
  /** Releases what open() made, if anything (a table, a client). */
  close?(messages: MessageRepository): Promise<void>;
  /**
   * Puts history straight into the inbox, where going through the port would not keep its
   * timestamps (the DynamoDB adapter gives a write it can only make late a fresh position).
   */
  fill?(messages: MessageRepository, userId: string, history: readonly Message[]): Promise<void>;
}

export const memoryHistoryStore: HistoryStore = {
  name: 'memory',
  open: async () => new InMemoryMessageRepository(new InMemoryStore()),
};

export interface HistoryOptions {
  readonly sizes: readonly number[];
  /** Messages younger than the late-write window in the unsettled case: ids the cursor carries. */
  readonly unsettled: number;
  /** Timings per case, after as many again to warm up; the median of them is reported. */
  readonly samples: number;
  /**
   * Polls per timing, whose mean is one sample: an in-memory poll takes about a microsecond,
   * too close to what reading the clock costs to time one by one.
   */
  readonly pollsPerSample: number;
}

export const DEFAULT_HISTORY: HistoryOptions = { sizes: [100, 100_000], unsettled: 50, samples: 200, pollsPerSample: 50 };

export interface HistoryRow {
  readonly window: 'settled' | 'unsettled';
  readonly size: number;
  /** Ids in the cursor's `seen` while polling. */
  readonly seen: number;
  readonly medianMicros: number;
  /** Median of this size over the median of the smallest size, in the same window. */
  readonly ratio: number;
}

const USER = 'user-history';
const SENDER = 'user-sender';
/** A fixed instant, so that a run against a persistent store writes the same timestamps. */
const START = Date.UTC(2026, 0, 1);
/** Messages to the inbox at most this many at a time while filling it. */
const FILL_CONCURRENCY = 32;

export async function measureHistoryCost(store: HistoryStore, options: HistoryOptions = DEFAULT_HISTORY): Promise<HistoryRow[]> {
  const cases: PreparedCase[] = [];
  try {
    for (const window of ['settled', 'unsettled'] as const) {
      for (const size of options.sizes) cases.push(await prepare(store, window, size, window === 'unsettled' ? options.unsettled : 0));
    }
    // Round after round, one timing of every case each: the JIT, the heap and whatever else runs
    // on the machine treat every case alike, where measuring them one after the other did not.
    const timings = cases.map((): number[] => []);
    for (let round = 0; round < 2 * options.samples; round++) {
      for (const [index, prepared] of cases.entries()) {
        const micros = await timePolls(prepared, options.pollsPerSample);
        if (round >= options.samples) timings[index]!.push(micros);
      }
    }
    const medians = timings.map(median);
    return cases.map(({ window, size, cursor }, index) => {
      const smallest = cases.findIndex((c) => c.window === window);
      return { window, size, seen: cursor.seen.length, medianMicros: medians[index]!, ratio: medians[index]! / medians[smallest]! };
    });
  } finally {
    for (const { messages } of cases) await store.close?.(messages);
  }
}

interface PreparedCase {
  readonly window: HistoryRow['window'];
  readonly size: number;
  readonly messages: MessageRepository;
  readonly check: CheckMessages;
  readonly cursor: InboxCursor;
}

async function prepare(store: HistoryStore, window: HistoryRow['window'], size: number, unsettled: number): Promise<PreparedCase> {
  const messages = await store.open();
  const clock = stillClock(START + size * 10 + 60_000);
  const history = historyOf(size, unsettled, clock.now());
  await (store.fill ? store.fill(messages, USER, history) : fill(messages, history));
  const check = new CheckMessages(messages, clock);
  const cursor = await caughtUp(check);
  if (cursor.seen.length !== unsettled) throw new Error(`the cursor carries ${cursor.seen.length} ids, expected ${unsettled}`);
  return { window, size, messages, check, cursor };
}

/** Mean microseconds of `polls` caught-up polls, each of which must find nothing. */
async function timePolls({ check, cursor }: PreparedCase, polls: number): Promise<number> {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < polls; i++) found += (await check.execute({ userId: USER, cursor })).messages.length;
  const elapsed = process.hrtime.bigint() - started;
  if (found !== 0) throw new Error(`caught-up polls answered ${found} messages`);
  return Number(elapsed) / 1000 / polls;
}

/** `size` messages ending at `now`: all settled but the newest `unsettled`, which lie in the late-write window. */
function historyOf(size: number, unsettled: number, now: number): Message[] {
  const ids = new UlidIdGenerator();
  const settledEnd = now - Limits.lateWriteWindowMs - 60_000;
  const history: Message[] = [];
  for (let i = 0; i < size - unsettled; i++) {
    const sentAt = settledEnd - (size - unsettled - i) * 10;
    history.push({ id: ids.newMessageId(sentAt), senderId: SENDER, text: `history message ${i}`, sentAt });
  }
  // Spread over the newest 4 s, inside the 5 s window.
  for (let i = 0; i < unsettled; i++) {
    const sentAt = now - 4_000 + Math.floor((i * 4_000) / unsettled);
    history.push({ id: ids.newMessageId(sentAt), senderId: SENDER, text: `recent message ${i}`, sentAt });
  }
  return history;
}

/** Through the port, so any adapter can be filled; the fill is not what is measured. */
async function fill(messages: MessageRepository, history: readonly Message[]): Promise<void> {
  for (let next = 0; next < history.length; next += FILL_CONCURRENCY) {
    await Promise.all(history.slice(next, next + FILL_CONCURRENCY).map((m) => messages.deliverToGroup(m, [USER])));
  }
}

/** The cursor of a client that has polled all along: the chain followed from the newest page until nothing waits. */
async function caughtUp(check: CheckMessages): Promise<InboxCursor> {
  let page = await check.execute({ userId: USER });
  while (page.messages.length > 0 || page.hasMore) page = await check.execute({ userId: USER, cursor: page.nextCursor, limit: Limits.inboxMaxLimit });
  return page.nextCursor;
}

function stillClock(now: number): Clock {
  return {
    now: () => now,
    sleep: async () => undefined,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
