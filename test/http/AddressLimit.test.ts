import { expect } from 'chai';
import { AddressLimit } from '../../src/adapters/http/AddressLimit.js';

describe('AddressLimit: push connections per client address', () => {
  it('gives each address its own places, up to the limit, and takes one back per release', () => {
    const limit = new AddressLimit(2);

    expect([limit.take('192.0.2.1'), limit.take('192.0.2.1'), limit.take('192.0.2.1')]).to.deep.equal([true, true, false]);
    expect(limit.take('192.0.2.2'), 'another address').to.equal(true);
    limit.release('192.0.2.1');
    expect(limit.take('192.0.2.1'), 'a place came back').to.equal(true);
    expect(limit.heldBy('192.0.2.1')).to.equal(2);
  });

  it('forgets an address that holds nothing', () => {
    const limit = new AddressLimit(1);
    limit.take('192.0.2.1');
    limit.release('192.0.2.1');
    limit.release('192.0.2.1');

    expect(limit.heldBy('192.0.2.1')).to.equal(0);
    expect(limit.take('192.0.2.1')).to.equal(true);
  });
});
