// The local server's log and the Lambda log have one field set: `npm start`'s server (built as
// scripts/build.mjs builds it, into a folder of its own) and the built Lambda bundle, invoked as
// Lambda invokes it, each write a line for the same request, and the two lines have the same keys.
import { expect } from 'chai';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from '../../scripts/bundleOptions.mjs';
import { BundleProcess } from '../support/BundleProcess.js';
import { builtLambda } from '../support/builtLambda.js';
import { v2Event } from '../lambda/events.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENV = { SCRYPT_COST: 'test', TOKEN_SECRET: 'server-log-test-secret-of-32-bytes-or-more', LOG_LEVEL: 'info' };

/** Builds and starts the local server, and answers its URL and a way to find a line it wrote. */
async function startLocalServerProcess() {
  // <dir>/dist/server/server.mjs finds the browser client at <dir>/web and the API reference's
  // assets under <dir>/node_modules, as in the repository.
  const dir = mkdtempSync(join(tmpdir(), 'local-server-'));
  for (const folder of ['web', 'node_modules']) symlinkSync(join(ROOT, folder), join(dir, folder));
  const serverPath = join(dir, 'dist', 'server', 'server.mjs');
  await build({ ...bundleOptions, entryPoints: [join(ROOT, 'src/adapters/http/server.ts')], outfile: serverPath });
  const child = spawn(process.execPath, [serverPath], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  for (let waited = 0; !/listening on (\S+)/.test(output); waited += 50) {
    if (waited > 20_000 || child.exitCode !== null) throw new Error(`the local server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const line = async (matches: (line: string) => boolean): Promise<string> => {
    for (let waited = 0; ; waited += 20) {
      const found = output.split('\n').find((l) => l.startsWith('{') && matches(l));
      if (found) return found;
      if (waited > 5000) throw new Error(`no log line matched: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: /listening on (\S+)/.exec(output)![1]!, line, stop };
}

describe('The local server and Lambda log one field set', function () {
  this.timeout(60_000);

  it('writes the same keys for a request, Lambda context fields included', async () => {
    const local = await startLocalServerProcess();
    const bundle = await BundleProcess.start((await builtLambda()).bundlePath, ENV);
    try {
      const answer = await fetch(`${local.url}/health`);
      expect(answer.status).to.equal(200);
      await bundle.invoke('health', v2Event({ method: 'GET', path: '/health' }));

      const localLine = JSON.parse(await local.line((l) => l.includes('"route":"health"')));
      const lambdaLine = JSON.parse(await bundle.stdoutLine((l) => l.includes('"route":"health"')));

      expect(Object.keys(localLine).sort(), 'the local server’s line has the Lambda line’s keys').to.deep.equal(Object.keys(lambdaLine).sort());
      for (const key of ['level', 'message', 'timestamp', 'service', 'cold_start', 'function_name', 'function_request_id', 'requestId', 'status', 'durationMs']) {
        expect(lambdaLine, `the key ${key}`).to.have.property(key);
      }
      expect(localLine.function_name, 'the local server says what it is').to.equal('local-server');
      expect(lambdaLine.function_request_id, "Lambda's request id").to.equal('bundle-test');
    } finally {
      await local.stop();
      await bundle.stop();
    }
  });
});
