// DynamoDB Local, AWS's own emulator (the jar inside the npm package amplify-dynamodb-simulator),
// started on a free port for tests, the integration run and `npm run start:dynamodb`. It needs
// Java 17 or later; `.ci/run` installs it when missing. It is started through
// DynamoDbLocalOnLoopback.java, so that it listens on 127.0.0.1 only and, on Linux, serves only
// this user's processes; data it keeps on disk is readable by this user alone.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
const launcher = fileURLToPath(new URL('./DynamoDbLocalOnLoopback.java', import.meta.url));

/** Owner only: the directory 0700, its files 0600. The emulator's files hold password hashes and every inbox. */
const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;
/** What the emulator (and SQLite, whose journals copy the database's mode) creates: owner only. */
const OWNER_ONLY_UMASK = 0o077;

/**
 * Starts DynamoDB Local in its own process: in memory, or persisted under `dbPath`.
 * Resolves with its endpoint once it answers requests, and a stop() that ends the process.
 * `sharedDb: false` runs it as its own default (and its Docker image) does: a database per access
 * key id and region.
 */
export async function startDynamoDbLocal({ port = 0, dbPath, sharedDb = true } = {}) {
  requireJava();
  const chosen = port || (await freePort());
  if (dbPath) makePrivate(dbPath);
  const storage = dbPath ? ['-dbPath', dbPath] : ['-inMemory'];
  // The child inherits the mask at spawn, so files it creates later are private too.
  const umask = process.umask(OWNER_ONLY_UMASK);
  let child;
  try {
    child = spawn(
      'java',
      [
        `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
        // Sockets of the IPv4 stack only: 127.0.0.1 then means that, and the kernel lists them in /proc/net/tcp.
        '-Djava.net.preferIPv4Stack=true',
        '-cp',
        [join(emulator, 'DynamoDBLocal.jar'), join(emulator, 'DynamoDBLocal_lib', '*')].join(delimiter),
        launcher,
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
  } finally {
    process.umask(umask);
  }
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
  // Running a source file needs the runtime's compiler module: in every JDK, and in Debian's JRE.
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (!/^jdk\.compiler@/m.test(modules.stdout ?? '')) {
    throw new Error('DynamoDB Local is started from a Java source file, which needs a Java runtime with the jdk.compiler module (any JDK 17 or later)');
  }
}

/**
 * The data directory and everything already in it, owner only: other accounts on this machine can
 * neither list nor read it (files from before this rule are tightened too).
 */
export function makePrivate(directory) {
  mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY });
  chmodSync(directory, PRIVATE_DIRECTORY);
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    chmodSync(join(directory, entry.name), entry.isDirectory() ? PRIVATE_DIRECTORY : PRIVATE_FILE);
  }
}

/** A TCP port free on loopback now (the kernel's pick). */
export function freePort() {
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
