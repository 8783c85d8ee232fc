import { expect } from 'chai';
import { BoundedPasswordHasher } from '../../src/adapters/runtime/BoundedPasswordHasher.js';
import type { PasswordHasher } from '../../src/ports/PasswordHasher.js';
import { errorCodeOf } from '../support/world.js';

/** A hasher whose every call waits until the test lets it finish. */
class GatedHasher implements PasswordHasher {
  started: string[] = [];
  private readonly gates: (() => void)[] = [];

  hash(password: string): Promise<string> {
    return this.gate(`hash ${password}`, `hashed-${password}`);
  }

  verify(password: string, encodedHash: string): Promise<boolean> {
    return this.gate(`verify ${password}`, encodedHash === `hashed-${password}`);
  }

  /** Lets the oldest running call finish. */
  finishOne(): void {
    this.gates.shift()?.();
  }

  private gate<T>(label: string, answer: T): Promise<T> {
    this.started.push(label);
    return new Promise<T>((resolve) => this.gates.push(() => resolve(answer)));
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedPasswordHasher', () => {
  it('runs at most `concurrent` hashes, queues up to `queued`, and refuses the rest with 503 and Retry-After', async () => {
    const inner = new GatedHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 2, queued: 3 });

    const accepted = Array.from({ length: 5 }, (_, i) => hasher.hash(`p${i}`));
    const refused = await hasher.hash('one too many').catch((e) => e);
    await tick();

    expect(inner.started, 'two run, three wait').to.deep.equal(['hash p0', 'hash p1']);
    expect(refused.code).to.equal('unavailable');
    expect(refused.retryAfterSeconds).to.equal(1);

    for (let i = 0; i < 5; i++) {
      inner.finishOne();
      await tick();
    }
    expect(await Promise.all(accepted)).to.deep.equal(['hashed-p0', 'hashed-p1', 'hashed-p2', 'hashed-p3', 'hashed-p4']);
    expect(inner.started, 'the queue ran in order').to.have.length(5);
  });

  it('takes new work again once the queue has drained', async () => {
    const inner = new GatedHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 1, queued: 0 });
    const first = hasher.hash('a');
    expect(await errorCodeOf(hasher.hash('b'))).to.equal('unavailable');

    inner.finishOne();
    await first;
    const second = hasher.hash('c');
    await tick();
    inner.finishOne();

    expect(await second).to.equal('hashed-c');
  });

  it('runs identical concurrent checks once and gives all of them the answer', async () => {
    const inner = new GatedHasher();
    const hasher = new BoundedPasswordHasher(inner, { concurrent: 2, queued: 2 });

    const same = Array.from({ length: 10 }, () => hasher.verify('secret', 'hashed-secret'));
    const other = hasher.verify('guess', 'hashed-secret');
    await tick();
    inner.finishOne();
    inner.finishOne();

    expect(await Promise.all(same)).to.deep.equal(Array(10).fill(true));
    expect(await other).to.equal(false);
    expect(inner.started).to.deep.equal(['verify secret', 'verify guess']);
  });
});
