// SPEC 8: at most 50 push connections per client address on the local server, so that no single
// client fills its 2,048 connection slots. (On AWS, API Gateway's own quotas play this part.)

export class AddressLimit {
  private readonly held = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {}

  /** Takes a place for `address`; false when it already holds maxPerAddress. */
  take(address: string): boolean {
    const count = this.held.get(address) ?? 0;
    if (count >= this.maxPerAddress) return false;
    this.held.set(address, count + 1);
    return true;
  }

  /** Gives back a place `take` gave. */
  release(address: string): void {
    const count = this.held.get(address) ?? 0;
    if (count <= 1) this.held.delete(address);
    else this.held.set(address, count - 1);
  }

  /** Places held by `address` now. */
  heldBy(address: string): number {
    return this.held.get(address) ?? 0;
  }
}
