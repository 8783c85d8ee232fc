import type { Clock } from '../../src/ports/Clock.js';

/** A clock that only moves when a test moves it. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 15, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  /**
   * Lets other work run for a real moment without moving the clock: a sleeper waits for work in
   * progress (a hash), and concurrent sleepers must not push each other's time along.
   */
  async sleep(_ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
