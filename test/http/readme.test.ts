// The README's curl walk-through, run as written against a local server, so it cannot rot.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { router, transportError } from '../../src/adapters/lambda/handlers.js';
import { startLocalServer } from '../../src/adapters/http/LocalServer.js';

const run = promisify(execFile);

function walkThrough(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('API=http://localhost:3000'));
  if (!block) throw new Error('README has no curl walk-through starting with API=http://localhost:3000');
  return block;
}

describe('README curl walk-through', function () {
  this.timeout(30000);

  it('works as written: every step answers what the README says it does', async () => {
    const server = await startLocalServer({ port: 0, host: '127.0.0.1', handler: router, transportError });
    try {
      const script = walkThrough().replace('API=http://localhost:3000', `API=${server.url}`);

      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script]);

      expect(stdout).to.contain('{"status":"ok"}');
      expect(stdout).to.match(/user-[A-Z0-9]+ user-[A-Z0-9]+ user-[A-Z0-9]+/);
      expect(stdout.match(/"message":"Hi Bob!"/g), 'the retried send is stored once').to.have.length(1);
      const sentIds = [...stdout.matchAll(/"message_id":"(msg-[A-Z0-9]+)"/g)].map((m) => m[1]);
      expect(sentIds[0], 'the retry answers the original message_id').to.equal(sentIds[1]);
      expect(stdout, 'the cursor poll returns only the new message').to.match(/"messages":\[\{[^\]]*"message":"Still there\?"\}\]/);
      expect(stdout).to.contain('"error":"blocked"');
      expect(stdout).to.contain('has been added to the group.');
      expect(stdout).to.contain('"name":"Weekend"');
      expect(stdout).to.contain('has been removed from the group.');
      expect(stdout).to.not.contain('"error":"validation_failed"').and.not.contain('"error":"unauthorized"');
    } finally {
      await server.close();
    }
  });
});
