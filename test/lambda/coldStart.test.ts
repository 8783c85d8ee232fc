// scripts/coldStart.mjs, the cold-start measurement `npm run bench` and the build's commit
// messages rely on: it must time a real import in fresh processes, and fail loudly when the
// bundle does not load rather than report a number for nothing. No timing is asserted.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureColdStart, measureStartupVariants } from '../../scripts/coldStart.mjs';
import { builtLambda } from '../support/builtLambda.js';

describe('measureColdStart (scripts/coldStart.mjs)', function () {
  this.timeout(30000);

  it('imports the built bundle in a fresh process per run and reports the median, fastest and slowest', async function () {
    const built = await builtLambda();

    const timing = measureColdStart(built.bundlePath, { runs: 3 });

    expect(timing.runs).to.equal(3);
    expect(timing.minMs, 'an import takes some time').to.be.above(0);
    expect(timing.minMs <= timing.medianMs && timing.medianMs <= timing.maxMs, 'min <= median <= max').to.equal(true);
  });

  it('fails with the import error when the bundle does not load', function () {
    const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
    try {
      const broken = join(dir, 'handlers.mjs');
      writeFileSync(broken, "throw new Error('TOKEN_SECRET must be set on AWS Lambda');\n");

      expect(() => measureColdStart(broken, { runs: 1 })).to.throw(/importing .* failed: .*TOKEN_SECRET must be set/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the bundle with the secret from the environment, from SSM through a real socket, and with tracing on', async function () {
    const built = await builtLambda();

    const timings = await measureStartupVariants(built.bundlePath, { runs: 1 });

    expect(Object.keys(timings)).to.deep.equal(['environment', 'ssm', 'tracing']);
    for (const [way, timing] of Object.entries(timings)) expect(timing.minMs, `${way}: the bundle started`).to.be.above(0);
  });
});
