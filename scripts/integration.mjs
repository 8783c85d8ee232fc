// The black-box suite, over HTTP only.
//   node scripts/integration.mjs --url=https://abc.execute-api.eu-west-1.amazonaws.com [--profile=seed]
//     runs it against that deployment, which serves the given profile (default secure);
//   node --import tsx scripts/integration.mjs
//     builds the local server and, for each profile (secure, then seed), starts it on a free port
//     (in-memory store, cheap test scrypt cost), runs the suite and then the repository's pytest
//     suite (test_api.py) against it and stops it; then the TypeScript suite once more in the
//     secure profile on DynamoDB Local, which it starts (and stops) itself;
//   node --import tsx scripts/integration.mjs --multi-region
//     (npm run test:multi-region) the suite through a proxy that routes each request to one of two
//     local "regions" (two DynamoDB Local, the replicator, two servers), then test/multiregion.
// Other arguments go to mocha (for example --grep).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const multiRegion = args.includes('--multi-region');
const mochaArgs = args.filter((a) => !a.startsWith('--url=') && !a.startsWith('--profile=') && a !== '--multi-region');
const url = option('url') || process.env.API_URL;
const profile = option('profile') || process.env.API_PROFILE || 'secure';

let code = 0;
if (multiRegion) {
  await runChecked('node', ['scripts/build.mjs']);
  const started = Date.now();
  code = await onTwoRegions((apiUrl, env) => runSuite(apiUrl, 'secure (two regions, random routing)', env));
  if (code === 0) code = await runMocha(['--config', '.mocharc.multiregion.json'], {});
  console.log(`test:multi-region took ${Math.round((Date.now() - started) / 1000)} s`);
} else if (url) {
  code = await runSuite(url, profile);
} else {
  await runChecked('node', ['scripts/build.mjs']);
  for (const localProfile of ['secure', 'seed']) {
    code ||= await withLocalServer(localProfile, {}, async (apiUrl) => (await runSuite(apiUrl, localProfile)) || runPytest(apiUrl, localProfile));
  }
  if (code === 0) code = await onDynamoDbLocal((storage) => withLocalServer('secure', storage, (apiUrl) => runSuite(apiUrl, 'secure (DynamoDB Local)')));
}
process.exit(code);

async function runSuite(apiUrl, label, env = {}) {
  const apiProfile = label.split(' ')[0];
  console.log(`Integration suite against ${apiUrl} (profile ${label})`);
  return runMocha(['--config', '.mocharc.integration.json'], { API_URL: apiUrl, API_PROFILE: apiProfile, ...env });
}

async function runMocha(configArgs, env) {
  const mocha = spawn('npx', ['mocha', ...configArgs, ...mochaArgs], { stdio: 'inherit', env: { ...process.env, ...env } });
  const [exitCode] = await once(mocha, 'exit');
  return exitCode ?? 1;
}

/**
 * The two-region harness (scripts/multiRegionHarness.ts): replication 200 ms ± 100 ms, a lag bound
 * of 2 s, requests routed at random. `run` gets the proxy's URL and what the suite needs to know:
 * the settle window (5 s + L), and the barrier its client waits on before reading a local replica
 * after a write (test/integration/client.ts).
 */
async function onTwoRegions(run) {
  const { startMultiRegion } = await import('./multiRegionHarness.ts');
  const http = await import('node:http');
  const lagBoundMs = 2000;
  const harness = await startMultiRegion({
    delayMs: 200,
    jitterMs: 100,
    lagBoundMs,
    serverEnv: {
      SCRYPT_COST: 'test',
      LOG_LEVEL: 'silent',
      REGISTER_PER_MINUTE: '100000',
      UNKNOWN_USER_CHECKS_PER_MINUTE: '100000',
      API_PROFILE: 'secure',
      TOKEN_SECRET: 'integration-suite-secret-of-32-bytes-or-more',
    },
  });
  const barrier = http.createServer((req, res) => {
    req.resume();
    harness.replicator.settled().then(
      () => res.writeHead(204).end(),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise((resolve) => barrier.listen(0, '127.0.0.1', resolve));
  try {
    return await run(harness.proxyUrl, {
      REPLICATION_BARRIER_URL: `http://127.0.0.1:${barrier.address().port}/replicated`,
      SETTLE_WINDOW_MS: String(5000 + lagBoundMs),
    });
  } finally {
    barrier.close();
    await harness.stop();
  }
}

/** The pytest suite at the repository root (conftest.py, test_api.py), as a user runs it. */
async function runPytest(apiUrl, apiProfile) {
  console.log(`pytest suite against ${apiUrl} (profile ${apiProfile})`);
  const pytest = spawn('python3', ['-m', 'pytest', `--url=${apiUrl}`, `--profile=${apiProfile}`, '-q'], { stdio: 'inherit' });
  const [exitCode] = await once(pytest, 'exit');
  return exitCode ?? 1;
}

/** Starts DynamoDB Local with a fresh table and hands `run` the environment that points a server at it. */
async function onDynamoDbLocal(run) {
  const { startDynamoDbLocal } = await import('./dynamoDbLocal.mjs');
  const { ensureTable } = await import('../src/adapters/dynamodb/ensureTable.ts');
  const { dynamoDbSettingsFrom } = await import('../src/adapters/dynamodb/dynamoDbSettings.ts');
  const local = await startDynamoDbLocal();
  try {
    const storage = { STORAGE: 'dynamodb', TABLE_NAME: 'integration', DYNAMODB_ENDPOINT: local.endpoint, AWS_REGION: 'local' };
    // Created signing as the server will, with this environment's credentials if it has any.
    await ensureTable(dynamoDbSettingsFrom({ ...process.env, ...storage }));
    return await run(storage);
  } finally {
    await local.stop();
  }
}

async function withLocalServer(apiProfile, storage, run) {
  const server = spawn('node', ['dist/server/server.mjs'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      SCRYPT_COST: 'test',
      LOG_LEVEL: 'silent',
      // The suite registers hundreds of users from one address: SPEC's per-address limits are
      // raised the way SPEC says a test run raises them.
      REGISTER_PER_MINUTE: '100000',
      UNKNOWN_USER_CHECKS_PER_MINUTE: '100000',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      API_PROFILE: apiProfile,
      TOKEN_SECRET: 'integration-suite-secret-of-32-bytes-or-more',
      ...storage,
    },
  });
  try {
    return await run(await listeningUrl(server));
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

function listeningUrl(server) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /https?:\/\/\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    server.once('exit', (c) => reject(new Error(`server exited with ${c}: ${output}`)));
  });
}

async function runChecked(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit' });
  const [exitCode] = await once(child, 'exit');
  if (exitCode !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed with ${exitCode}`);
}
