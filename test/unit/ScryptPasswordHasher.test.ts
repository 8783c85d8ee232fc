import { expect } from 'chai';
import {
  OWASP_SCRYPT_COST,
  ScryptPasswordHasher,
  TEST_SCRYPT_COST,
} from '../../src/adapters/runtime/ScryptPasswordHasher.js';

describe('ScryptPasswordHasher', () => {
  const hasher = new ScryptPasswordHasher(TEST_SCRYPT_COST);

  it('defaults to the OWASP row N=2^14, r=8, p=5', () => {
    expect(OWASP_SCRYPT_COST).to.deep.equal({ logN: 14, r: 8, p: 5 });
  });

  it('writes the cost parameters and a 16-byte salt into the hash', async () => {
    const hash = await hasher.hash('password one');

    const [, , params, salt] = hash.split('$');
    expect(params).to.equal('ln=10,r=8,p=1');
    expect(Buffer.from(salt!, 'base64')).to.have.length(16);
  });

  it('salts every hash differently', async () => {
    expect(await hasher.hash('same password')).to.not.equal(await hasher.hash('same password'));
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('password one');

    expect(await hasher.verify('password one', hash)).to.equal(true);
    expect(await hasher.verify('password two', hash)).to.equal(false);
  });

  it('verifies hashes made with other cost parameters, so the cost can be raised later', async () => {
    const older = await new ScryptPasswordHasher({ logN: 9, r: 8, p: 1 }).hash('password one');

    expect(await hasher.verify('password one', older)).to.equal(true);
  });

  it('treats the same text in composed and decomposed Unicode as the same password', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait');

    expect(await hasher.verify('cafe\u0301 au lait', hash)).to.equal(true);
  });

  it('refuses malformed hashes and absurd cost parameters instead of working on them', async () => {
    const hash = await hasher.hash('password one');

    expect(await hasher.verify('password one', 'not a hash')).to.equal(false);
    expect(await hasher.verify('password one', hash.replace('ln=10', 'ln=30'))).to.equal(false);
  });
});
