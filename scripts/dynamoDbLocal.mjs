// DynamoDB Local, AWS's own emulator (the jar inside the npm package amplify-dynamodb-simulator),
// started on a free port for tests, the integration run and `npm run start:dynamodb`. It needs
// Java 17 or later; `.ci/run` installs it when missing.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');

/**
 * Starts DynamoDB Local in its own process: in memory, or persisted under `dbPath`.
 * Resolves with its endpoint once it answers requests, and a stop() that ends the process.
 * `sharedDb: false` runs it as its own default (and its Docker image) does: a database per access
 * key id and region.
 */
export async function startDynamoDbLocal({ port = 0, dbPath, sharedDb = true } = {}) {
  requireJava();
  const chosen = port || (await freePort());
  const storage = dbPath ? ['-dbPath', dbPath] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(chosen),
      // One database whatever region and credentials a client signs with.
      ...(sharedDb ? ['-sharedDb'] : []),
      // This machine's network is closed; the emulator's telemetry would only retry in vain.
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const endpoint = `http://127.0.0.1:${chosen}`;
  const exited = once(child, 'exit');
  try {
    await Promise.race([
      waitUntilServing(endpoint),
      exited.then(([code]) => Promise.reject(new Error(`DynamoDB Local exited with ${code}: ${stderr}`))),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function requireJava() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17 or later on the PATH (Debian: apt-get install -y default-jre-headless)');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls until the emulator answers an HTTP request (it takes a few seconds to start). */
async function waitUntilServing(endpoint, timeoutMs = 60_000) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > giveUpAt) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
