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
}
