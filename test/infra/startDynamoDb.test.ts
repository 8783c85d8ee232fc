// `npm run start:dynamodb` keeps a developer's data on their machine and to their account: the
// emulator listens on loopback only and serves only its user's processes, and its files are its
// user's alone (issue 15: it listened on every interface, accepted anyone, and wrote files 0644).
// Read from what the kernel says: the socket table, file modes, and connections that fail.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/dynamoDbLocal.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOBODY = 65534;

/** Local addresses of the sockets listening on `port`, from the kernel's tables, as ip:port. */
function listeners(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const [address, hexPort] = local.split(':');
      if (parseInt(hexPort!, 16) === port) found.push(`${kernelAddress(address!)}:${port}`);
    }
  }
  return found;
}

/** /proc/net/tcp's address: an IPv4 address is one little-endian 32-bit word in hex. */
function kernelAddress(hex: string): string {
  if (hex.length === 8) return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  return hex === '0'.repeat(32) ? '::' : hex;
}

/** What a ListTables from a process of `uid` receives on a raw connection: the bytes, and how the connection ended. */
async function listTablesAs(uid: number | undefined, port: number): Promise<{ received: string; error: string | undefined }> {
  const request =
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.0\r\n' +
    'X-Amz-Target: DynamoDB_20120810.ListTables\r\n' +
    'Authorization: AWS4-HMAC-SHA256 Credential=nobody/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n' +
    'Content-Length: 2\r\n\r\n{}';
  const code = `const socket = require('node:net').connect(${port}, '127.0.0.1', () => socket.write(${JSON.stringify(request)}));
    let received = ''; let error;
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (e) => (error = e.code));
    socket.on('close', () => process.stdout.write(JSON.stringify({ received, error })));`;
  // A plain node from `/`, without the test run's options: another user may not be allowed into this directory.
  const child = spawn(process.execPath, ['-e', code], {
    cwd: '/',
    env: { PATH: process.env.PATH },
    ...(uid === undefined ? {} : { uid, gid: uid }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
  // 'close', not 'exit': the output may still be on its way when the process has exited.
  const [status] = await once(child, 'close');
  if (status !== 0 || out === '') throw new Error(`the client process failed (${status}): ${err}`);
  return JSON.parse(out);
}

describe('npm run start:dynamodb keeps its data to this machine and this user', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let dataDir: string;
  let emulatorPort: number;
  let apiUrl: string;

  before(async function () {
    const parent = mkdtempSync(join(tmpdir(), 'start-dynamodb-'));
    dataDir = join(parent, 'data');
    // A directory and file left as older versions made them: open to every account.
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'left-before.db'), 'old data', { mode: 0o644 });
    chmodSync(join(dataDir, 'left-before.db'), 0o644);
    emulatorPort = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/startDynamoDb.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DYNAMODB_LOCAL_PORT: String(emulatorPort), DYNAMODB_LOCAL_DATA: dataDir, TABLE_NAME: 'private-test', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    apiUrl = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const listening = /Messaging API listening on (\S+)/.exec(output);
        if (listening) resolve(listening[1]!);
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      child.once('exit', (code) => reject(new Error(`npm run start:dynamodb exited with ${code}:\n${output}`)));
    });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only: the kernel’s socket table has the emulator there and nowhere else', function () {
    if (!existsSync('/proc/net/tcp')) this.skip(); // the socket table is Linux's

    expect(listeners(emulatorPort)).to.deep.equal([`127.0.0.1:${emulatorPort}`]);
  });

  it('cannot be reached through any other address of this machine', async function () {
    // Every address of every interface but loopback; a link-local IPv6 address needs its interface.
    const others = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
      (addresses ?? []).filter((a) => !a.internal).map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${name}` : a.address)),
    );
    if (others.length === 0) this.skip(); // a machine with loopback alone has nothing else to try

    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port: emulatorPort, timeout: 3000 });
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('timeout', () => (socket.destroy(), resolve('timed out')));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, address).to.equal('ECONNREFUSED');
    }
  });

  it('keeps its files to this user: the directory 0700 and every file in it 0600, older ones too', function () {
    const files = readdirSync(dataDir);

    expect(statSync(dataDir).mode & 0o777, 'the directory').to.equal(0o700);
    expect(files, 'the emulator’s database and the older file').to.include.members(['shared-local-instance.db', 'left-before.db']);
    for (const file of files) expect(statSync(join(dataDir, file)).mode & 0o777, file).to.equal(0o600);
  });

  it('serves this user’s processes, and closes another user’s connection without a byte of data', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can run a process as another user
    const mine = await listTablesAs(undefined, emulatorPort);
    const theirs = await listTablesAs(NOBODY, emulatorPort);

    expect(mine.received).to.match(/^HTTP\/1\.1 200 /).and.contain('{"TableNames":["private-test"]}');
    expect(theirs.received, 'not a byte for another user').to.equal('');
  });

  it('serves the API on it', async () => {
    const health = await fetch(`${apiUrl}/health`);

    expect(health.status).to.equal(200);
  });
});
