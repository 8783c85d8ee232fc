// How a poll's cost depends on the inbox's history: fills one inbox with 1k to 1M messages and
// times a poll along the cursor chain (one new message since the last poll) at each size.
// Reports time per poll and its ratio to the smallest history; a flat ratio means the poll does
// not scan history. Run with `npm run bench`.
import { InMemoryMessageRepository } from '../src/adapters/memory/InMemoryMessageRepository.js';
import { InMemoryStore } from '../src/adapters/memory/InMemoryStore.js';
import { UlidIdGenerator } from '../src/adapters/runtime/UlidIdGenerator.js';
import { CheckMessages } from '../src/core/use-cases/CheckMessages.js';
import type { Clock } from '../src/ports/Clock.js';

const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const POLLS = 2_000;

const clock = {
  time: Date.UTC(2026, 0, 1),
  now() {
    return this.time;
  },
  async sleep(ms: number) {
    this.time += ms;
  },
} satisfies Clock & { time: number };
const store = new InMemoryStore();
const messages = new InMemoryMessageRepository(store);
const ids = new UlidIdGenerator();
const check = new CheckMessages(messages, clock);
const user = 'user-bench';

async function deliverOne(text: string): Promise<void> {
  clock.time += 10;
  await messages.deliverToGroup({ id: ids.newMessageId(clock.time), senderId: "user-sender", text, sentAt: clock.time }, [user]);
}

/** History goes straight into the inbox: the fill is not what is measured. */
function fillTo(size: number): void {
  const inbox = store.inbox(user);
  while (inbox.size < size) {
    clock.time += 10;
    inbox.insert({ id: `msg-h${inbox.size}`, senderId: 'user-sender', text: 'a history message of about forty chars', sentAt: clock.time });
  }
}

const rows: { history: number; microsPerPoll: number }[] = [];
let cursor = (await check.execute({ userId: user })).nextCursor;
// Warm the JIT up first, so the first row is not the one that pays for compilation.
for (let i = 0; i < POLLS; i++) {
  await deliverOne('warm-up');
  clock.time += 60_000;
  cursor = (await check.execute({ userId: user, cursor })).nextCursor;
}
globalThis.gc?.();
const heapStart = process.memoryUsage().heapUsed;
for (const size of SIZES) {
  fillTo(size);
  clock.time += 60_000;
  // Catch the chain up with the history, as a client polling all along would be.
  for (let more = true; more; ) {
    const page = await check.execute({ userId: user, cursor, limit: 500 });
    cursor = page.nextCursor;
    more = page.hasMore;
  }
  let elapsed = 0n;
  for (let i = 0; i < POLLS; i++) {
    await deliverOne('new');
    clock.time += 60_000;
    const started = process.hrtime.bigint();
    const page = await check.execute({ userId: user, cursor });
    elapsed += process.hrtime.bigint() - started;
    if (page.messages.length !== 1) throw new Error(`expected one new message, got ${page.messages.length}`);
    cursor = page.nextCursor;
  }
  rows.push({ history: store.inbox(user).size, microsPerPoll: Number(elapsed) / 1000 / POLLS });
}
globalThis.gc?.();
const heapBytesPerMessage = (process.memoryUsage().heapUsed - heapStart) / store.inbox(user).size;

const base = rows[0]!.microsPerPoll;
console.log(`check_messages poll returning the one new message (in-memory store, mean of ${POLLS} polls)`);
console.log('  history   µs/poll   ratio to smallest');
for (const row of rows) {
  const ratio = (row.microsPerPoll / base).toFixed(2);
  console.log(`${String(row.history).padStart(9)}  ${row.microsPerPoll.toFixed(2).padStart(8)}   ${ratio.padStart(17)}`);
}
console.log(`heap per stored message (direct, one recipient): ${heapBytesPerMessage.toFixed(0)} bytes`);
