import type { Clock } from '../../ports/Clock.js';

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
